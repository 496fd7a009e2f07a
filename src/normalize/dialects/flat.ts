/**
 * Dialects that put the error's members at the top level of the body.
 */
import { pointerFromFieldPath } from "../json-pointer";
import { looksLikeUri } from "../uri";
import type { FieldError, JsonRecord, OriginError } from "./shape";
import { codeOf, detailOfMessages, firstText, leftovers, stringArray, text } from "./shape";

const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/** SCIM (RFC 7644 §3.12): `status` is a string there, `scimType` the code. */
export function scim(body: JsonRecord): OriginError | undefined {
  if (!Array.isArray(body.schemas) || !body.schemas.includes(SCIM_ERROR)) return undefined;
  return compact({
    dialect: "scim",
    detail: text(body, "detail"),
    code: text(body, "scimType"),
    extensions: leftovers(body, ["schemas", "status", "scimType", "detail"]),
  });
}

/**
 * Typed errors (seed 002): `{"type": "InvalidPayload", "message": "…",
 * "code": 400, "id": "…"}`. The type is a name, not a URI; its reference
 * documentation spells the names in words ("Invalid Payload"), so both
 * spellings give the PascalCase code.
 */
export function typedError(body: JsonRecord, status: number): OriginError | undefined {
  const type = text(body, "type");
  const message = text(body, "message");
  if (type === undefined || message === undefined || looksLikeUri(type)) return undefined;
  const words = /^[A-Z][A-Za-z0-9]*(?: [A-Z][A-Za-z0-9]*)*$/.test(type);
  if (!words && !/^[A-Za-z][\w.-]*$/.test(type)) return undefined;
  const consumed = ["type", "message"];
  // A numeric `code` that repeats the status is consumed; any other stays as an extension.
  if (codeOf(body.code, status) === undefined) consumed.push("code");
  return compact({
    dialect: "typed",
    detail: message,
    code: words ? type.replaceAll(" ", "") : type,
    extensions: renameCode(leftovers(body, consumed)),
  });
}

/** OAuth 2.0 error responses (RFC 6749 §5.2, RFC 6750 §3.1): `error` is the code. */
export function oauth(body: JsonRecord): OriginError | undefined {
  const error = text(body, "error");
  if (error === undefined) return undefined;
  const description = text(body, "error_description");
  // RFC 6749 §5.2 codes are lower_snake ASCII; a sentence under `error` is a message, not this dialect.
  if (description === undefined && !/^[a-z][a-z0-9_.-]*$/.test(error)) return undefined;
  return compact({
    dialect: "oauth",
    detail: description,
    code: error,
    extensions: leftovers(body, ["error", "error_description"]),
  });
}

/** AWS JSON protocols: `__type` is `ValidationException` or `com.amazon.coral.validate#ValidationException`. */
export function aws(body: JsonRecord): OriginError | undefined {
  const type = text(body, "__type");
  if (type === undefined) return undefined;
  // The shape name follows the last '#'; some services append ":<doc URI>".
  const code = (type.split("#").pop() ?? type).split(":")[0] ?? type;
  return compact({
    dialect: "aws",
    detail: firstText(body, ["message", "Message"]),
    code: code.trim() === "" ? undefined : code,
    extensions: leftovers(body, ["__type", "message", "Message"]),
  });
}

/**
 * Hapi/Boom, Fastify and NestJS: `{statusCode, error, message}`. `error` is
 * only the reason phrase. NestJS's ValidationPipe sends `message` as a list of
 * class-validator messages, each of which starts with the property path.
 */
export function statusCodeBody(body: JsonRecord, status: number): OriginError | undefined {
  if (typeof body.statusCode !== "number") return undefined;
  const message = text(body, "message");
  const list = stringArray(body.message);
  if (message === undefined && list === undefined && text(body, "error") === undefined) return undefined;
  const result: OriginError = {
    dialect: list === undefined ? "boom" : "nestjs",
    detail: message ?? (list === undefined ? undefined : detailOfMessages(list)),
    code: codeOf(body.code, status),
    extensions: leftovers(body, ["statusCode", "error", "message", "code"]),
  };
  if (list !== undefined && list.length > 0) {
    const errors = list.map((detail): FieldError => ({ detail, pointer: classValidatorPointer(detail) }));
    if (errors.length > 1 || errors.some((e) => e.pointer !== "")) result.errors = errors;
  }
  return compact(result);
}

/** class-validator: "email must be an email", "address.street must be a string", "property x should not exist". */
function classValidatorPointer(message: string): string {
  const extra = /^property (\S+) should not exist$/.exec(message);
  if (extra?.[1] !== undefined) return pointerFromFieldPath(extra[1]);
  const m = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\.\d+|\[\d+\])*) (?:must|should)\b/.exec(message);
  return m?.[1] === undefined ? "" : pointerFromFieldPath(m[1]);
}

const MESSAGE_KEYS = [
  "message", "detail", "error_description", "description", "error_message", "errorMessage",
  "msg", "reason", "Message", "error", "title",
] as const;
const CODE_KEYS = ["code", "error_code", "errorCode", "Code"] as const;

/** JSON of no known shape: the usual message-ish and code-ish members, nothing else. */
export function unknownJson(value: unknown, status: number): OriginError {
  if (typeof value === "string") return compact({ dialect: "json", detail: value.trim() === "" ? undefined : value });
  const list = stringArray(value);
  if (list !== undefined) {
    const errors = list.map((detail): FieldError => ({ detail, pointer: "" }));
    return compact({ dialect: "json", detail: detailOfMessages(list), errors: errors.length > 1 ? errors : undefined });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { dialect: "json" };
  const record = value as JsonRecord;
  let code: string | undefined;
  for (const key of CODE_KEYS) code ??= codeOf(record[key], status);
  return compact({ dialect: "json", detail: firstText(record, MESSAGE_KEYS), code });
}

/** `code` is the one name for *our* code member; an origin's other numeric code keeps its value as `origin_code`. */
function renameCode(extensions: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (extensions === undefined || !("code" in extensions)) return extensions;
  const { code, ...rest } = extensions;
  return { ...rest, origin_code: code };
}

function compact(result: OriginError): OriginError {
  for (const key of ["detail", "code", "errors", "extensions"] as const) {
    if (result[key] === undefined) delete result[key];
  }
  return result;
}
