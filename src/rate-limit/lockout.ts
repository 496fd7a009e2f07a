/**
 * Failed-authentication lockout (`PORTCULLIS.auth_failures`,
 * README.md, Rate limiting). Runs before authentication:
 *
 * 1. A request presenting a credential whose client IP, or whose credential
 *    (by SHA-256), this isolate knows to be locked is answered 429 at once:
 *    no key lookup, no signature check, no object call.
 * 2. Otherwise the request goes on; if authentication then fails (401), the
 *    failure is recorded in the RateLimiter objects of the IP and of the
 *    credential (called in parallel: one round trip, on failed requests only),
 *    and a lock they report is remembered here.
 *
 * Trade-off: a lock is remembered per isolate. Another isolate learns of it
 * the first time it records a failure for that client, so a locked client
 * gets at most one more 401 per isolate it reaches; a correct credential from
 * a locked IP passes in isolates that have not learned of the lock. Checking
 * the lock in the object on every request would cost every request a round
 * trip.
 */
import type { MiddlewareHandler } from "hono";
import { AUTH_FAILURE_POLICY, type AuthFailureSettings } from "../config/rate-limit-config";
import type { GatewayEnv } from "../context";
import { GatewayError } from "../problems";
import { durableObjectLimiter } from "../rate-limit/durable-object-limiter";
import { applyRateLimitFields, limitMembers, policyMembers, rateLimitFieldRecord, toSeconds, type FieldMember } from "../rate-limit/headers";
import { sha256Hex } from "../digest";
import { clientIp, presentedCredential } from "../rate-limit/keys";
import { ExpiryCache } from "../rate-limit/local-caches";
import type { Limiter } from "../rate-limit/limiter";

export interface AuthFailureThrottleOptions {
  readonly limiter?: (env: Env) => Limiter;
}

// Isolate-wide: failure key → locked until (local clock).
const locks = new ExpiryCache(10_000);

export function authFailureThrottle(options: AuthFailureThrottleOptions = {}): MiddlewareHandler<GatewayEnv> {
  const limiterFor = options.limiter ?? ((env: Env) => durableObjectLimiter(env.RATE_LIMITER));

  return async function authFailureThrottle(c, next) {
    const config = c.get("config");
    const route = c.get("route");
    const log = c.get("log");
    const settings = config.authFailures;
    // A public route reads no credential, so nothing there is an attempt. On
    // other routes the credential is read exactly as authentication will read
    // it: no credential, no attempt (a request without one guesses nothing).
    const mode = route.settings.auth.mode;
    const credential = settings === undefined || mode === "none" ? undefined : presentedCredential(c.req.raw, config.auth, mode);
    if (settings === undefined || credential === undefined) return next();

    const keys = [`${AUTH_FAILURE_POLICY}:credential:${await sha256Hex(credential)}`];
    const ip = clientIp(c.req.raw.headers);
    if (ip !== undefined) keys.unshift(`${AUTH_FAILURE_POLICY}:ip:${ip}`);

    const now = Date.now();
    const lockedUntil = Math.max(0, ...keys.map((k) => locks.until(k, now) ?? 0));
    if (lockedUntil > now) {
      log.auth_lockout = true;
      throw lockedOut(settings, lockedUntil - now);
    }

    await next();

    if (!(c.error instanceof GatewayError) || c.error.kind !== "unauthenticated") return;
    const limiter = limiterFor(c.env);
    const { attempts, windowSeconds, lockoutSeconds } = settings;
    const timeoutMs = route.settings.rateLimit.timeoutMs;
    const results = await Promise.all(keys.map((key) => limiter.recordFailure({ key, attempts, windowSeconds, lockoutSeconds, timeoutMs })));

    let failures = 0;
    let lockedForMs = 0;
    results.forEach((result, i) => {
      const key = keys[i];
      if (result.outcome !== "recorded" || key === undefined) {
        if (result.outcome === "unchecked") log.auth_failures_error = result.reason;
        return;
      }
      failures = Math.max(failures, result.failures);
      if (result.lockedForMs > 0) {
        locks.set(key, Date.now() + result.lockedForMs);
        lockedForMs = Math.max(lockedForMs, result.lockedForMs);
      }
    });
    log.auth_failures = failures;
    if (failures === 0) return;
    const limit = lockedForMs > 0
      ? { name: AUTH_FAILURE_POLICY, remaining: 0, resetSeconds: toSeconds(lockedForMs) }
      : { name: AUTH_FAILURE_POLICY, remaining: Math.max(0, attempts - failures) };
    applyRateLimitFields(c.res.headers, policyField(settings), limitMembers([limit]));
  };
}

function policyField(settings: AuthFailureSettings): FieldMember[] {
  return policyMembers([{ name: AUTH_FAILURE_POLICY, quota: settings.attempts, windowSeconds: settings.windowSeconds }]);
}

function lockedOut(settings: AuthFailureSettings, lockedForMs: number): GatewayError {
  const retryAfter = Math.max(1, toSeconds(lockedForMs));
  const limits = limitMembers([{ name: AUTH_FAILURE_POLICY, remaining: 0, resetSeconds: retryAfter }]);
  return new GatewayError("quota-exceeded", `Too many failed authentication attempts; retry after ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`, {
    headers: { "retry-after": String(retryAfter), ...rateLimitFieldRecord(policyField(settings), limits) },
    extensions: { "violated-policies": [AUTH_FAILURE_POLICY] },
  });
}
