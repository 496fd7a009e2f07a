/**
 * OAuth scopes: their syntax, where a JWT carries them, and what a route
 * still misses. Pure.
 */

/**
 * RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). No space,
 * `"` or `\`, so a list of them fits the quoted `scope` attribute of a
 * Bearer challenge (RFC 6750 §3) and a header value unescaped.
 */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/**
 * Scopes granted by a JWT: `scope`, a space-separated string (RFC 8693 §4.2,
 * RFC 9068 §2.2.3), and `scp`, an array or a string (used by Okta, Microsoft
 * Entra ID). Both are read and united. Values that are not scope tokens are
 * dropped: they could never match a configured scope.
 */
export function scopesFromClaims(claims: Record<string, unknown>): string[] {
  const granted = new Set<string>();
  for (const claim of [claims.scope, claims.scp]) {
    const values = typeof claim === "string" ? claim.split(" ") : Array.isArray(claim) ? claim : [];
    for (const value of values) {
      if (typeof value === "string" && isScopeToken(value)) granted.add(value);
    }
  }
  return [...granted];
}

/** The required scopes that are not granted; all of them must be (case-sensitive, RFC 6749 §3.3). */
export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  return required.filter((scope) => !granted.includes(scope));
}
