/**
 * The neutral shape every reader returns. Readers only *read*: sanitizing and
 * the output rules live in normalize-origin-error.ts, so a reader says what
 * the origin meant and nothing else.
 */

/** One field-level message; `pointer` is an RFC 6901 JSON Pointer into the request ("" = the request as a whole). */
export interface FieldError {
  detail: string;
  pointer: string;
}

/**
 * A candidate for `detail`: one member's text, or several messages to be
 * joined (a list of errors with no message above them), produced only as far
 * as they are read. `member` names the extension the text stays as when
 * another candidate is chosen.
 */
export type DetailMessage = { text: string; member?: string } | { parts: (maxLength: number) => readonly string[] };

export interface OriginError {
  /** Short dialect name for the operator's log ("scim", "google", "html" …). */
  dialect: string;
  /** The origin's own problem type URI (problem details only), unchecked. */
  type?: string;
  title?: string;
  /** The origin's human message, for bodies that hold one text (HTML, XML, plain text). */
  detail?: string;
  /** JSON bodies: every candidate for `detail`, best first; the first that passes the leak filter is used. */
  messages?: readonly DetailMessage[];
  /** The last resort, looked for only when no candidate above passes: message-like members anywhere in the body. */
  moreMessages?: () => readonly string[];
  /** The origin's machine-readable error code. */
  code?: string;
  /** The origin's own `instance`, unchecked. */
  instance?: string;
  errors?: FieldError[];
  /** Members the origin sent that have no standard place, kept as extensions (RFC 9457 §3.2). */
  extensions?: Record<string, unknown>;
}

/**
 * Every detail candidate in order, to `visit` until it returns true: the one
 * text, the ranked candidates, then (only if reached) the last resort.
 */
export function eachDetail(origin: OriginError, visit: (message: DetailMessage) => boolean): void {
  if (origin.detail !== undefined && visit({ text: origin.detail })) return;
  for (const message of origin.messages ?? []) if (visit(message)) return;
  if (origin.moreMessages !== undefined) for (const text of origin.moreMessages()) if (visit({ text })) return;
}

export function hasDetail(origin: OriginError): boolean {
  return origin.detail !== undefined || (origin.messages !== undefined && origin.messages.length > 0);
}

/** defineProperty for "__proto__", so it stays a plain member; plain assignment, the fast path, otherwise. */
export function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
