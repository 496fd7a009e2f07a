/**
 * Authentication, per route (`auth = "none" | "api_key" | "jwt" |
 * "api_key_or_jwt"`), so the origin never sees an unauthenticated request on
 * a protected route. In order:
 *
 * 1. the credential is read once (where the route reads one: its auth, or a
 *    rate-limit policy keyed by `api_key`), with its SHA-256, which the
 *    lockout, the key lookup, the token cache and the quota key all use;
 * 2. the failed-authentication lockout refuses a client it knows is locked;
 * 3. the authenticator decides (RFC 6750 §3 answers: 401/400), and a refused
 *    credential is recorded by the lockout;
 * 4. the route's scopes are checked (403 insufficient_scope).
 *
 * What the origin then receives of the identity, and never of the client's
 * claims, is applied by the proxy (src/auth/forwarding.ts).
 */
import type { MiddlewareHandler } from "hono";
import { routeOf, type GatewayEnv } from "../context";
import { readCredential } from "./credentials";
import { missingScopes } from "./scopes";
import { insufficientScope } from "./www-authenticate";

export function authenticate(): MiddlewareHandler<GatewayEnv> {
  return async function authenticate(c, next) {
    const route = routeOf(c);
    const sources = route.credentialSources;
    if (sources === undefined) return next();
    const request = c.get("request");
    const credential = await readCredential(c.req.raw.headers, request.target, sources);
    c.set("credential", credential);
    const auth = route.auth;
    if (auth === undefined) return next();

    const log = request.log;
    const presented = credential.kind === "bearer" || credential.kind === "api_key" ? credential : undefined;
    // No credential, no attempt: a request without one guesses nothing.
    const lockoutKeys = route.lockout !== undefined && presented !== undefined ? route.lockout.keys(presented.digestHex, request.clientIp) : undefined;
    if (route.lockout !== undefined && lockoutKeys !== undefined) {
      const locked = route.lockout.refusal(lockoutKeys);
      if (locked !== undefined) {
        log.auth_lockout = true;
        throw locked;
      }
    }

    const verdict = await auth.authenticator.identify(credential, auth.mode, c.env);
    if (!verdict.ok) {
      if (!verdict.attempt || route.lockout === undefined || lockoutKeys === undefined) throw verdict.error;
      throw verdict.error.withHeaders(await route.lockout.record(c.env.RATE_LIMITER, lockoutKeys, log));
    }
    const { identity } = verdict;
    const missing = missingScopes(auth.scopes, identity.scopes);
    if (missing.length > 0) {
      throw insufficientScope(auth.realm, auth.scopes, `consumer ${JSON.stringify(identity.consumer)} lacks scope(s) ${missing.join(" ")}`);
    }
    c.set("identity", identity);
    log.consumer = identity.consumer;
    log.auth_method = identity.method;
    // Which of a consumer's keys was used: the digest's first 12 hex digits, never the key.
    if (verdict.keyId !== undefined) log.key_id = verdict.keyId;
    await next();
  };
}
