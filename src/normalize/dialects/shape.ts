/**
 * The neutral shape every dialect recognizer returns, and the small readers
 * they share. Recognizers only *read*: sanitizing and the output rules live in
 * normalize-origin-error.ts, so each dialect file says what the origin meant
 * and nothing else.
 */

/** One field-level message; `pointer` is an RFC 6901 JSON Pointer into the request ("" = the request as a whole). */
export interface FieldError {
  detail: string;
  pointer: string;
}

export interface OriginError {
  /** Short dialect name for the operator's log ("scim", "google", "html" …). */
  dialect: string;
  /** The origin's own problem type URI (problem details only), unchecked. */
  type?: string;
  title?: string;
  /** The origin's human message for this occurrence. */
  detail?: string;
  /** The origin's machine-readable error code. */
  code?: string;
  /** The origin's own `instance`, unchecked. */
  instance?: string;
  errors?: FieldError[];
  /** Members the origin sent that have no standard place, kept as extensions (RFC 9457 §3.2). */
  extensions?: Record<string, unknown>;
}

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-blank string member, or undefined. */
export function text(record: JsonRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** The first non-blank string among several candidate members. */
export function firstText(record: JsonRecord, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = text(record, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

export function stringArray(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out = value.filter((v): v is string => typeof v === "string" && v.trim() !== "");
  return out.length === value.length && out.length > 0 ? out : undefined;
}

/**
 * A machine-readable code from a `code`-like member. Numbers are codes only
 * when they add something: `"code": 404` on a 404 merely repeats the status.
 */
export function codeOf(value: unknown, status: number): string | undefined {
  if (typeof value === "string") return value.trim() === "" || value.trim() === String(status) ? undefined : value;
  if (typeof value === "number" && Number.isInteger(value) && value !== status) return String(value);
  return undefined;
}

/** The members of `record` not in `consumed`: what the origin said that has no standard place. */
export function leftovers(record: JsonRecord, consumed: readonly string[]): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (consumed.includes(key)) continue;
    out ??= {};
    // defineProperty: a member named "__proto__" stays a plain member.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Several messages as one `detail`: each still gets its own `errors` entry. */
export function detailOfMessages(messages: readonly string[]): string | undefined {
  return messages.length === 0 ? undefined : messages.join("; ");
}
