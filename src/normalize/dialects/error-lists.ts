/**
 * Bodies whose top-level `errors` member lists the errors:
 * - JSON:API 1.1 §11.2 error objects: `status` (string), `code`, `title`,
 *   `detail`, `source.pointer|parameter|header`.
 * - GraphQL (October 2021 spec §7.1.2): `{message, locations, path,
 *   extensions.code}`, possibly beside `data`.
 * - anything else under `errors`: a list of messages or `{message, field}`
 *   objects, or a Rails-style map of field → messages.
 *
 * Every message becomes one `errors` entry. A message with no field gets the
 * pointer "" (RFC 6901 §5: the whole request), so entries keep one shape.
 */
import { normalizePointer, pointerFromFieldPath } from "../json-pointer";
import { fieldErrors } from "./problem-details";
import type { FieldError, JsonRecord, OriginError } from "./shape";
import { codeOf, detailOfMessages, firstText, isRecord, leftovers, text } from "./shape";

export function errorList(body: JsonRecord, status: number): OriginError | undefined {
  const list = body.errors;
  if (isRecord(list)) {
    const errors = fieldErrors(list);
    return errors === undefined || errors.length === 0 ? undefined : { dialect: "errors-map", errors };
  }
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const records = list.filter(isRecord);
  if (records.length === list.length) {
    if (records.every((e) => text(e, "message") === undefined) && records.every(isJsonApiError)) {
      return jsonApi(records, status);
    }
    if (records.every((e) => text(e, "message") !== undefined)) {
      const graphql = "data" in body || records.some((e) => "path" in e || "locations" in e || isRecord(e.extensions));
      return messages(records, status, graphql ? "graphql" : "errors-array");
    }
  }
  const errors = fieldErrors(list);
  if (errors === undefined || errors.length === 0) return undefined;
  return finish({ dialect: "errors-array" }, errors);
}

function isJsonApiError(e: JsonRecord): boolean {
  return ["title", "detail", "code", "status", "source"].some((key) => key in e);
}

function jsonApi(items: JsonRecord[], status: number): OriginError {
  const errors = items.flatMap((item): FieldError[] => {
    const detail = firstText(item, ["detail", "title"]);
    return detail === undefined ? [] : [jsonApiEntry(item, detail)];
  });
  const result: OriginError = { dialect: "jsonapi" };
  const title = shared(items, (e) => text(e, "title"));
  if (title !== undefined) result.title = title;
  const code = shared(items, (e) => codeOf(e.code, status));
  if (code !== undefined) result.code = code;
  const [only] = items;
  if (items.length === 1 && only !== undefined) {
    const detail = text(only, "detail");
    if (detail !== undefined) result.detail = detail;
    // `id`, `links`, `meta` of the single error object stay as extensions.
    const rest = leftovers(only, ["status", "code", "title", "detail", "source"]);
    if (rest !== undefined) result.extensions = rest;
  } else {
    const detail = detailOfMessages(errors.map((e) => e.detail));
    if (detail !== undefined) result.detail = detail;
  }
  return finish(result, errors);
}

/**
 * JSON:API `source`: a pointer into the request document, else a query
 * parameter or header, which no JSON Pointer can name; that name is kept in
 * the entry's detail instead.
 */
function jsonApiEntry(item: JsonRecord, detail: string): FieldError {
  const source = isRecord(item.source) ? item.source : {};
  const pointer = typeof source.pointer === "string" ? normalizePointer(source.pointer) : undefined;
  if (pointer !== undefined) return { detail, pointer };
  const parameter = text(source, "parameter");
  if (parameter !== undefined) return { detail: `${detail} (query parameter "${parameter}")`, pointer: "" };
  const header = text(source, "header");
  if (header !== undefined) return { detail: `${detail} (header "${header}")`, pointer: "" };
  return { detail, pointer: "" };
}

/** GraphQL errors and `[{message, field?, code?}]` lists. */
function messages(items: JsonRecord[], status: number, dialect: string): OriginError {
  const errors = items.map((item): FieldError => {
    const detail = text(item, "message") ?? "";
    // GraphQL `path` points into the *response*, not the request: no pointer from it.
    const field = dialect === "graphql" ? undefined : firstText(item, ["field", "param", "property", "name"]);
    return { detail, pointer: field === undefined ? "" : pointerFromFieldPath(field) };
  });
  const result: OriginError = { dialect, detail: detailOfMessages(errors.map((e) => e.detail)) };
  const code = shared(items, (e) => codeOf(isRecord(e.extensions) ? e.extensions.code : e.code, status));
  if (code !== undefined) result.code = code;
  return finish(result, errors);
}

/** A value all items agree on; with disagreement there is no single one to report. */
function shared(items: readonly JsonRecord[], pick: (item: JsonRecord) => string | undefined): string | undefined {
  const values = new Set(items.map(pick));
  const [value] = values;
  return values.size === 1 ? value : undefined;
}

/** `errors` is sent when it adds something: a field, or more than one message. */
function finish(result: OriginError, errors: FieldError[]): OriginError {
  if (errors.length > 1 || errors.some((e) => e.pointer !== "")) result.errors = errors;
  else if (result.detail === undefined && errors[0] !== undefined) result.detail = errors[0].detail;
  if (result.detail === undefined) delete result.detail;
  return result;
}
