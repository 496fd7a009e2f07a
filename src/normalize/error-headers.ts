/**
 * Which of an origin's response headers survive when its error becomes a
 * problem. Pure.
 *
 * The problem is a new body, so the headers that describe the old one
 * (Content-*, ETag, …) go, and so does everything that describes the origin
 * rather than the error (Server, X-Powered-By, Via, Set-Cookie, vendor X-*).
 * What is kept is only what RFC 9110 gives meaning to for that status, each
 * value checked for its syntax and run through the leak filter:
 *
 *   Retry-After        413, 429, 503 (RFC 9110 §10.2.3, §15.5.14, RFC 6585 §4)
 *   WWW-Authenticate   401, 403      (RFC 9110 §11.6.1, RFC 6750 §3)
 *   Allow              405           (RFC 9110 §15.5.6: MUST)
 *   Accept, Accept-Post, Accept-Patch
 *                      415           (RFC 9110 §15.5.16, W3C LDP §7.1, RFC 5789 §3.1)
 *   Content-Range      416           (RFC 9110 §15.5.17)
 *   RateLimit, RateLimit-Policy
 *                      any           (draft-ietf-httpapi-ratelimit-headers-10)
 *
 * A 5xx whose text the route hides keeps Retry-After alone: the origin's
 * limits and challenges may name its internals like its body can.
 */
import { TOKEN_SOURCE } from "../http-syntax";
import { looksLeaky } from "./sanitize";

type Check = (value: string) => boolean;

const T = TOKEN_SOURCE;
const TOKEN_LIST = new RegExp(`^${T}(?:[ \\t]*,[ \\t]*${T})*$`);
// A media range (token characters and the slash) with its parameters; a list of them.
const RANGE = `${T.replace("]+", "/]+")}(?:[ \\t]*;[ \\t]*${T}=[^,\\u0000-\\u001f\\u007f]*)*`;
const MEDIA_RANGES = new RegExp(`^${RANGE}(?:[ \\t]*,[ \\t]*${RANGE})*$`);
const MAX_VALUE = 1024;

/** delay-seconds or an HTTP-date (RFC 9110 §10.2.3, §5.6.7). */
const retryAfter: Check = (v) => /^\d{1,10}$/.test(v) || (/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(v) && !Number.isNaN(Date.parse(v)));
const text: Check = (v) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(v) && !looksLeaky(v);

interface Rule {
  readonly name: string;
  readonly statuses: ReadonlySet<number> | "any";
  readonly check: Check;
}

const RULES: readonly Rule[] = [
  { name: "retry-after", statuses: new Set([413, 429, 503]), check: retryAfter },
  { name: "www-authenticate", statuses: new Set([401, 403]), check: text },
  { name: "allow", statuses: new Set([405]), check: (v) => v === "" || TOKEN_LIST.test(v) },
  { name: "accept", statuses: new Set([415]), check: (v) => MEDIA_RANGES.test(v) },
  { name: "accept-post", statuses: new Set([415]), check: (v) => MEDIA_RANGES.test(v) },
  { name: "accept-patch", statuses: new Set([415]), check: (v) => MEDIA_RANGES.test(v) },
  { name: "content-range", statuses: new Set([416]), check: (v) => /^bytes (?:\*|\d+-\d+)\/(?:\d+|\*)$/.test(v) },
  { name: "ratelimit", statuses: "any", check: text },
  { name: "ratelimit-policy", statuses: "any", check: text },
];

const RULE_NAMES: ReadonlySet<string> = new Set(RULES.map((r) => r.name));

/** The origin headers a problem with `status` carries; `hidden`: the route hides this 5xx's text. */
export function keptErrorHeaders(origin: Headers, status: number, hidden: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  // Names first (cheap to read in the runtime): most error responses carry none of these.
  let present: string[] | undefined;
  for (const name of origin.keys()) if (RULE_NAMES.has(name)) (present ??= []).push(name);
  if (present === undefined) return out;
  for (const rule of RULES) {
    if (!present.includes(rule.name)) continue;
    if (hidden && rule.name !== "retry-after") continue;
    if (rule.statuses !== "any" && !rule.statuses.has(status)) continue;
    const value = origin.get(rule.name)?.trim();
    if (value === undefined || value.length > MAX_VALUE || !rule.check(value)) continue;
    out[rule.name] = value;
  }
  return out;
}
