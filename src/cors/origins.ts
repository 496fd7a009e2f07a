/**
 * Which origins a CORS policy admits, compiled once from `origins = [...]`.
 *
 * An origin is compared as the browser serializes it in `Origin` (Fetch
 * standard, `Origin` header; HTML, "serialization of an origin"): scheme "://" host, and
 * ":" port unless it is the scheme's default, lower-case, no path. So every
 * entry is a whole origin, matched on scheme, host and port together; there is
 * no substring, prefix or regular-expression matching anywhere, since those are
 * how `https://example.com.evil.com` gets in.
 *
 * - `"https://app.example.com"`: exactly that origin;
 * - `"https://*.example.com"`: any subdomain of example.com, at any depth, on
 *   that scheme and port (not example.com itself);
 * - `"*"`: every origin, answered with `Access-Control-Allow-Origin: *`, which
 *   the browser never accepts with credentials (Fetch §3.2, "CORS protocol and credentials"), so config refuses it there.
 */

export type OriginMatcher =
  | { readonly any: true }
  | { readonly any: false; readonly exact: ReadonlySet<string>; readonly wildcards: readonly Wildcard[] };

interface Wildcard {
  /** "https://" */
  readonly prefix: string;
  /** ".example.com" or ".example.com:8443" */
  readonly suffix: string;
}

const SHAPE = /^(https?):\/\/([^/?#@\\\s]+)$/i;
// What may stand for `*`: one or more DNS labels as a browser serializes them.
const SUBDOMAIN = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;

/** One entry, normalized (`https://App.Example.com:443` → `https://app.example.com`), or what is wrong with it. */
export function parseOriginEntry(entry: string): { origin: string } | { wildcard: Wildcard } | { problem: string } {
  if (entry === "null") {
    // Sandboxed iframes, file: pages and redirected requests all send "Origin: null":
    // admitting it admits every one of them.
    return { problem: 'the "null" origin is sent by sandboxed frames, local files and redirects alike; it cannot be allowed' };
  }
  const shape = SHAPE.exec(entry);
  if (shape === null) return { problem: shapeProblem(entry) };
  const [, scheme = "", authority = ""] = shape;
  if (!authority.includes("*")) {
    const url = parseUrl(`${scheme}://${authority}`);
    if (url === undefined) return { problem: "the host or port is not valid" };
    return { origin: url.origin };
  }
  if (!authority.startsWith("*.") || authority.indexOf("*", 1) !== -1) {
    return { problem: '"*" may only be the whole leftmost label, followed by a domain, as in "https://*.example.com"' };
  }
  const url = parseUrl(`${scheme}://${authority.slice(2)}`);
  if (url === undefined || url.hostname.startsWith("[") || /^[0-9.]+$/.test(url.hostname)) {
    return { problem: 'the domain after "*." is not a valid host name' };
  }
  if (!url.hostname.includes(".")) {
    return { problem: `"*.${url.hostname}" would admit every site under a top-level domain; name a domain of at least two labels, as in "https://*.example.com"` };
  }
  return { wildcard: { prefix: `${url.protocol}//`, suffix: `.${url.host}` } };
}

function shapeProblem(entry: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return 'expected "https://" or "http://" and a host; patterns and regular expressions are not supported';
  if (!/^https?:/i.test(entry)) return 'only http and https origins can be allowed';
  return "an origin is scheme, host and optional port only: no path, trailing slash, query, fragment or user name";
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Compiles entries that `parseOriginEntry` accepted; `"*"` must be the only one. */
export function compileOrigins(entries: readonly string[]): OriginMatcher {
  if (entries.includes("*")) return { any: true };
  const exact = new Set<string>();
  const wildcards: Wildcard[] = [];
  for (const entry of entries) {
    const parsed = parseOriginEntry(entry);
    if ("origin" in parsed) exact.add(parsed.origin);
    else if ("wildcard" in parsed) wildcards.push(parsed.wildcard);
  }
  return { any: false, exact, wildcards };
}

/** Whether the request's `Origin` value is admitted (for `any`, every value is). */
export function originAllowed(matcher: OriginMatcher, origin: string): boolean {
  if (matcher.any) return true;
  if (matcher.exact.has(origin)) return true;
  for (const { prefix, suffix } of matcher.wildcards) {
    if (origin.length <= prefix.length + suffix.length || !origin.startsWith(prefix) || !origin.endsWith(suffix)) continue;
    if (SUBDOMAIN.test(origin.slice(prefix.length, origin.length - suffix.length))) return true;
  }
  return false;
}
