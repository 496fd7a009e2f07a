/**
 * The path routes are matched against, and the paths refused as ambiguous.
 *
 * The gateway decides auth and limits by route, while the origin decides what
 * to serve by its own reading of the path. Where the two readings can differ,
 * a client could reach a protected resource through a route that does not
 * protect it (`/public/..%2Fadmin`, `//admin`, `/admin;x`). So:
 * - spellings RFC 3986 §6.2.2 says are equivalent are made equal before
 *   matching: percent-encoded unreserved characters are decoded (`%61` is
 *   `a`), the hex digits of the rest upper-cased;
 * - spellings servers disagree on are refused: encoded `/` and `\`, empty
 *   segments, `;` path parameters, double encoding (`%252e`), encoded
 *   control characters, and dot segments.
 * Dot segments and raw backslashes never get here in their plain forms: the
 * runtime's URL parser (WHATWG) has already resolved `..`, `%2e%2e` and `\`.
 * The request still goes upstream byte for byte as received.
 */

const AMBIGUOUS: readonly (readonly [RegExp, string])[] = [
  [/%2f/i, "an encoded slash (%2F)"],
  [/%5c/i, "an encoded backslash (%5C)"],
  [/\\/, "a backslash"],
  [/\/\//, "an empty segment (//)"],
  [/;/, "a path parameter (;)"],
  [/%25[0-9a-f]{2}/i, "a double-encoded character (%25XX)"],
  [/%[01][0-9a-f]|%7f/i, "an encoded control character"],
];

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The path routes are matched against: percent-encoded unreserved characters
 * decoded, the hex digits of other escapes upper-cased, runs of "/" merged and
 * `;` parameters dropped from each segment. Applied to every path, whether or
 * not ambiguous ones are refused, so that no spelling of a path reaches
 * another route than its plain form. The last two matter only with
 * `reject_ambiguous_paths = false` (otherwise such paths are refused first):
 * they are the readings of nginx (merge_slashes), Express and Tomcat/Spring
 * (path parameters stripped), so a route protects what those origins serve.
 */
export function canonicalPath(path: string): string {
  // Most paths have nothing to rewrite: no escape, no slash run, no parameter.
  if (!path.includes("%") && !path.includes("//") && !path.includes(";")) return path;
  let canonical = path.replace(/%([0-9a-fA-F]{2})/g, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : escape.toUpperCase();
  });
  if (canonical.includes("//")) canonical = canonical.replace(/\/{2,}/g, "/");
  if (canonical.includes(";")) canonical = canonical.replace(/;[^/]*/g, "");
  return canonical;
}

/** Why servers may read `path` differently (see above), or undefined when they cannot. */
export function ambiguity(path: string, canonical: string): string | undefined {
  if (MAYBE_AMBIGUOUS.test(path)) {
    for (const [pattern, what] of AMBIGUOUS) {
      if (pattern.test(path)) return what;
    }
  }
  if (canonical.includes("/.") && canonical.split("/").some((segment) => segment === "." || segment === "..")) return "a dot segment (. or ..)";
  return undefined;
}

// Every AMBIGUOUS pattern needs one of these characters: most paths are ruled out at once.
const MAYBE_AMBIGUOUS = /[%\\;]|\/\//;
