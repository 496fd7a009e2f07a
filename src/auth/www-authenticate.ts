/**
 * The answers of a Bearer-protected resource (RFC 6750 §3): one
 * `WWW-Authenticate` challenge per failure, and the problem that carries it.
 * Every invalid credential gets the same public detail, whatever the check
 * that failed: the reason goes to the log only (GatewayError cause).
 */
import { GatewayError } from "../problems";

/** RFC 6750 §3.1 error codes. */
export type BearerError = "invalid_request" | "invalid_token" | "insufficient_scope";

/**
 * `Bearer realm="…"[, error="…"][, scope="…"]`. The realm was validated at
 * config time to need no escaping inside a quoted-string, and scopes are
 * RFC 6749 scope-tokens, which never contain `"` or `\`.
 */
export function bearerChallenge(realm: string, error?: BearerError, scopes: readonly string[] = []): string {
  const params = [`realm="${realm}"`];
  if (error !== undefined) params.push(`error="${error}"`);
  if (scopes.length > 0) params.push(`scope="${scopes.join(" ")}"`);
  return `Bearer ${params.join(", ")}`;
}

/**
 * RFC 6750 §3.1: a request that lacks any authentication information (or uses
 * a scheme we do not support) gets a challenge without an error code.
 */
export function missingCredentials(realm: string): GatewayError {
  return new GatewayError("unauthenticated", "This route requires credentials: an API key or a bearer token.", {
    headers: { "www-authenticate": bearerChallenge(realm) },
  });
}

/** One detail for unknown, expired, disabled, revoked and forged credentials alike. */
const INVALID_CREDENTIALS_DETAIL = "The credentials are not valid.";

export function invalidCredentials(realm: string, cause: string): GatewayError {
  return new GatewayError("unauthenticated", INVALID_CREDENTIALS_DETAIL, {
    headers: { "www-authenticate": bearerChallenge(realm, "invalid_token") },
    cause,
  });
}

/** RFC 6750 §3.1 invalid_request: the credentials' syntax is wrong, so the detail may say how. */
export function malformedCredentials(realm: string, detail: string): GatewayError {
  return new GatewayError("invalid-credentials-request", detail, {
    headers: { "www-authenticate": bearerChallenge(realm, "invalid_request") },
  });
}

/** RFC 6750 §3.1 insufficient_scope; `scope` lists every scope the route requires. */
export function insufficientScope(realm: string, required: readonly string[], cause: string): GatewayError {
  return new GatewayError("insufficient-scope", "The credentials are valid but lack a scope this route requires; the WWW-Authenticate scope attribute lists them.", {
    headers: { "www-authenticate": bearerChallenge(realm, "insufficient_scope", required) },
    cause,
  });
}
