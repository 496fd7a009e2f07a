/**
 * Route path patterns, compiled once per isolate.
 *
 *   /health            exact (and /health/: one trailing slash)
 *   /scim/v2/*         prefix: /scim/v2 itself and everything below it
 *   /users/:id         named parameter: one non-empty path segment
 *   /users/:id/posts/* parameters and a trailing prefix combine
 *
 * Exact and parameter patterns also match their path with one trailing slash:
 * Express (non-strict routing), Spring and Rails serve /health/ as /health, so
 * a route that did not match it would let /admin/ reach the origin through a
 * less protected route. (A "." segment resolves to that slash in the URL
 * parser: /admin/. is /admin/.)
 *
 * Matching runs on the canonical path (src/routing/canonical-path.ts), still
 * percent-encoded where it matters, so `%2F` inside a segment never counts as
 * a separator: a pattern cannot be escaped by encoding.
 */

export interface CompiledPattern {
  readonly source: string;
  /** Does the (canonical) path match? Parameters only shape the match: nothing reads their values. */
  matches(path: string): boolean;
}

const SEGMENT = /^(?::[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9\-._~!$&'()+,;=:@%]*)$/;

/** Returns a problem with the pattern in words, or undefined when it is valid. */
export function patternProblem(pattern: string): string | undefined {
  if (!pattern.startsWith("/")) return "must start with \"/\"";
  const body = pattern.endsWith("/*") ? pattern.slice(0, -2) : pattern;
  if (body.includes("*")) return "\"*\" is only allowed as the last segment (\"/prefix/*\")";
  const segments = body.split("/").slice(1);
  const names = new Set<string>();
  for (const segment of segments) {
    // OpenAPI and Express docs differ: `{id}` is the former's parameter syntax, `:id` ours.
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(segment);
    if (braced !== null) return `segment "${segment}" is a parameter in OpenAPI's syntax; write it ":${braced[1] ?? ""}"`;
    if (!SEGMENT.test(segment)) return `segment "${segment}" has characters not allowed in a path`;
    if (segment.startsWith(":")) {
      if (names.has(segment)) return `parameter "${segment}" appears twice`;
      names.add(segment);
    }
  }
  return undefined;
}

export function compilePattern(pattern: string): CompiledPattern {
  const prefix = pattern.endsWith("/*");
  const body = prefix ? pattern.slice(0, -2) : pattern;
  const regexBody = body
    .split("/")
    .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  // ASCII case-insensitive: an origin that serves /Admin for /admin (IIS, a
  // case-insensitive file system) must not see it bypass the /admin route.
  const tail = prefix ? "(?:/.*)?" : body === "/" ? "" : "/?";
  const regex = new RegExp(`^${regexBody}${tail}$`, "i");
  return { source: pattern, matches: (path) => regex.test(path) };
}

/**
 * Whether every path `later` matches is matched by `earlier` too, so that a
 * route with `later` listed after one with `earlier` can never be chosen. A
 * parameter covers any segment; a literal only itself (case-insensitively,
 * as matching is); a prefix `A/*` covers every pattern that starts with A.
 */
export function shadows(earlier: string, later: string): boolean {
  const a = parts(earlier);
  const b = parts(later);
  if (a.prefix) return b.segments.length >= a.segments.length && a.segments.every((s, i) => covers(s, b.segments[i]));
  return !b.prefix && a.segments.length === b.segments.length && a.segments.every((s, i) => covers(s, b.segments[i]));
}

function parts(pattern: string): { segments: string[]; prefix: boolean } {
  const prefix = pattern.endsWith("/*");
  const body = prefix ? pattern.slice(0, -2) : pattern;
  return { segments: body.split("/").slice(1).filter((s, i, all) => !(s === "" && i === all.length - 1 && all.length > 1)), prefix };
}

function covers(earlier: string, later: string | undefined): boolean {
  if (later === undefined) return false;
  if (earlier.startsWith(":")) return later !== "";
  return !later.startsWith(":") && earlier.toLowerCase() === later.toLowerCase();
}
