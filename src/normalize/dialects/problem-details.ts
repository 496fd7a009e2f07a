/**
 * Bodies that are problem details already (RFC 9457, and RFC 7807 before it),
 * including ASP.NET Core's flavour: an `errors` map of field → messages and a
 * `traceId` extension (seed 001).
 */
import { looksLikeUri } from "../uri";
import { normalizePointer, pointerFromFieldPath } from "../json-pointer";
import type { FieldError, JsonRecord, OriginError } from "./shape";
import { codeOf, firstText, isRecord, leftovers, text } from "./shape";

const STANDARD_MEMBERS = ["type", "title", "status", "detail", "instance", "code"] as const;

/**
 * Recognized by shape, not by Content-Type alone: a `type` that is a URI
 * (a bare name like `InvalidPayload` is seed 002's dialect), or a `title`
 * with a numeric `status` and no competing `type`. A problem+json label
 * is enough when the body carries any standard member.
 */
export function problemDetails(body: JsonRecord, status: number, essence: string): OriginError | undefined {
  const type = body.type;
  const typeIsUri = typeof type === "string" && looksLikeUri(type);
  const titled = typeof body.title === "string" && typeof body.status === "number" && type === undefined;
  const declared =
    essence === "application/problem+json" && (typeof body.title === "string" || typeof body.detail === "string");
  if (!typeIsUri && !titled && !declared) return undefined;

  const consumed: string[] = [...STANDARD_MEMBERS];
  const result: OriginError = { dialect: "problem-details" };
  if (typeIsUri) result.type = type;
  const title = text(body, "title");
  if (title !== undefined) result.title = title;
  const detail = text(body, "detail");
  if (detail !== undefined) result.detail = detail;
  const instance = text(body, "instance");
  if (instance !== undefined) result.instance = instance;
  // A `type` that is a bare name is a code in disguise (RFC 9457 §3.1.1 wants a URI).
  const code = codeOf(body.code, status) ?? (typeof type === "string" && !typeIsUri ? codeOf(type, status) : undefined);
  if (code !== undefined) result.code = code;

  const errors = fieldErrors(body.errors);
  if (errors !== undefined) {
    consumed.push("errors");
    if (errors.length > 0) result.errors = errors;
    result.dialect = isRecord(body.errors) ? "problem-details/aspnet" : "problem-details";
  }
  const extensions = leftovers(body, consumed);
  if (extensions !== undefined) result.extensions = extensions;
  return result;
}

/**
 * The field errors of a problem: ASP.NET's `{"address.street": ["…"]}` map
 * (one entry per message), or RFC 9457 §3's `[{"detail", "pointer"}]` list,
 * whose pointers may be in URI fragment form (`#/age`). Undefined when
 * `errors` has some other shape.
 */
export function fieldErrors(value: unknown): FieldError[] | undefined {
  if (isRecord(value)) {
    const out: FieldError[] = [];
    for (const [field, messages] of Object.entries(value)) {
      const list = typeof messages === "string" ? [messages] : Array.isArray(messages) ? messages : [];
      for (const message of list) {
        if (typeof message === "string" && message.trim() !== "") out.push({ detail: message, pointer: pointerFromFieldPath(field) });
      }
    }
    return out;
  }
  if (!Array.isArray(value)) return undefined;
  const out: FieldError[] = [];
  for (const item of value) {
    if (typeof item === "string" && item.trim() !== "") {
      out.push({ detail: item, pointer: "" });
      continue;
    }
    if (!isRecord(item)) return undefined;
    const detail = firstText(item, ["detail", "message", "title"]);
    if (detail === undefined) continue;
    const pointer = typeof item.pointer === "string" ? normalizePointer(item.pointer) : undefined;
    const field = firstText(item, ["field", "name", "property"]);
    out.push({ detail, pointer: pointer ?? (field === undefined ? "" : pointerFromFieldPath(field)) });
  }
  return out;
}
