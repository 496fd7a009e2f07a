/**
 * Codes carried in response headers, used when the body has none (the body's
 * own code wins):
 * - the operator's list (`errors.code_headers`), by default seed 003's
 *   `X-message-code` and the vendors' documented error-code headers;
 * - RFC 6750 §3: a Bearer challenge's `error` and `error_description`, which
 *   OAuth resource servers send on a 401/403 with an empty body.
 */
import type { OriginError } from "./dialects/shape";
import { hasDetail } from "./dialects/shape";

/**
 * - `X-message-code`: seed 003 (`PASSWORD_LOCKED`), bodies often plain text;
 * - `x-amzn-ErrorType`: AWS restJson1 and API Gateway (`ValidationException:http://…`);
 * - `x-ms-error-code`: Azure REST APIs (Microsoft REST API Guidelines, "Handling errors").
 */
export const DEFAULT_CODE_HEADERS: readonly string[] = ["X-message-code", "x-amzn-ErrorType", "x-ms-error-code"];

/** `aws.protocols#FooError` → `FooError`; `ValidationException:http://internal…/` → `ValidationException`. */
function headerCode(value: string): string {
  let code = value.trim();
  if (/^[^\s:#]+#[^\s#]+/.test(code)) code = code.slice(code.lastIndexOf("#") + 1);
  const documented = /^([^\s:]+):(?:[a-z][a-z0-9+.-]*:)?\/\//i.exec(code);
  return documented?.[1] ?? code;
}

export function withHeaderCodes(origin: OriginError, headers: Headers, names: readonly string[] = DEFAULT_CODE_HEADERS): OriginError {
  if (origin.code !== undefined) return origin;
  for (const name of names) {
    const value = headers.get(name);
    if (value === null) continue;
    const code = headerCode(value);
    if (code !== "") return { ...origin, dialect: `${origin.dialect}+${name.toLowerCase()}`, code };
  }
  const challenge = headers.get("www-authenticate");
  const error = challenge === null ? undefined : authParam(challenge, "error");
  if (challenge === null || error === undefined || error === "") return origin;
  const result: OriginError = { ...origin, dialect: `${origin.dialect}+www-authenticate`, code: error };
  const description = authParam(challenge, "error_description");
  if (!hasDetail(result) && description !== undefined && description !== "") result.detail = description;
  return result;
}

/** An auth-param's value, token or quoted-string (RFC 9110 §11.2, §5.6.4). */
function authParam(challenge: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s,])${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s,"]+))`, "i").exec(challenge);
  if (m === null) return undefined;
  return m[2] ?? (m[1] ?? "").replace(/\\(.)/g, "$1");
}
