/**
 * The `{"error": {…}}` envelopes. Three real shapes share the wrapper and are
 * told apart by the members inside it:
 * - Google / gRPC JSON (AIP-193): numeric `code`, `status` an UPPER_SNAKE
 *   canonical code name, `message`, typed `details`.
 * - Stripe: `type` (the error category), optional `code`, `message`, `param`.
 * - seed 004 and most hand-written APIs: `status`, `message`, string `code`.
 */
import { pointerFromFieldPath, pointerFromFormParam } from "../json-pointer";
import type { FieldError, JsonRecord, OriginError } from "./shape";
import { codeOf, firstText, isRecord, leftovers, text } from "./shape";

const MESSAGE_KEYS = ["message", "detail", "description", "error_description", "Message"] as const;

export function errorEnvelope(body: JsonRecord, status: number): OriginError | undefined {
  const inner = body.error;
  if (!isRecord(inner)) return undefined;
  const outer = leftovers(body, ["error"]);
  if (typeof inner.code === "number" && typeof inner.status === "string" && /^[A-Z][A-Z_]*$/.test(inner.status)) {
    return google(inner, outer);
  }
  if (typeof inner.type === "string" && text(inner, "message") !== undefined) return stripe(inner, status, outer);
  const detail = firstText(inner, MESSAGE_KEYS);
  const code = codeOf(inner.code, status);
  if (detail === undefined && code === undefined) return undefined;
  return withExtensions(
    { dialect: "error-envelope", detail, code },
    leftovers(inner, ["status", "code", ...MESSAGE_KEYS]),
    outer,
  );
}

const BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest";

/** AIP-193: the canonical `status` name is the code; BadRequest field violations name fields. */
function google(inner: JsonRecord, outer: Record<string, unknown> | undefined): OriginError {
  const errors: FieldError[] = [];
  const otherDetails: unknown[] = [];
  for (const entry of Array.isArray(inner.details) ? inner.details : []) {
    if (isRecord(entry) && entry["@type"] === BAD_REQUEST && Array.isArray(entry.fieldViolations)) {
      for (const violation of entry.fieldViolations) {
        if (!isRecord(violation)) continue;
        const detail = text(violation, "description");
        const field = typeof violation.field === "string" ? violation.field : "";
        if (detail !== undefined) errors.push({ detail, pointer: pointerFromFieldPath(field) });
      }
    } else {
      otherDetails.push(entry);
    }
  }
  const result: OriginError = { dialect: "google", detail: text(inner, "message"), code: text(inner, "status") };
  if (errors.length > 0) result.errors = errors;
  const rest = leftovers(inner, ["code", "status", "message", "details"]) ?? {};
  // ErrorInfo, RetryInfo, Help … are kept as they came; only BadRequest moved to `errors`.
  if (otherDetails.length > 0) rest.details = otherDetails;
  return withExtensions(result, rest, outer);
}

/** Stripe: `code` is the specific reason, `type` the category; `param` names the offending field. */
function stripe(inner: JsonRecord, status: number, outer: Record<string, unknown> | undefined): OriginError {
  const category = text(inner, "type");
  const specific = codeOf(inner.code, status);
  const detail = text(inner, "message");
  const result: OriginError = { dialect: "stripe", detail, code: specific ?? category };
  const param = text(inner, "param");
  if (param !== undefined && detail !== undefined) result.errors = [{ detail, pointer: pointerFromFormParam(param) }];
  const rest = leftovers(inner, ["type", "code", "message", "param"]) ?? {};
  // The category is not lost when a specific code took the `code` slot.
  if (specific !== undefined && category !== undefined) rest.error_type = category;
  return withExtensions(result, rest, outer);
}

function withExtensions(
  result: OriginError,
  inner: Record<string, unknown> | undefined,
  outer: Record<string, unknown> | undefined,
): OriginError {
  const merged: Record<string, unknown> = {};
  // Inner members win: they describe the error; outer ones are envelope metadata.
  for (const source of [outer, inner]) {
    for (const [key, value] of Object.entries(source ?? {})) {
      Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  if (Object.keys(merged).length > 0) result.extensions = merged;
  if (result.detail === undefined) delete result.detail;
  if (result.code === undefined) delete result.code;
  return result;
}
