/**
 * Failed-authentication lockout (`PORTCULLIS.auth_failures`, docs/rate-limiting.md,
 * "Failed-authentication lockout"), called by the authentication step (src/auth/step.ts) with the
 * request's one reading of its credential:
 *
 * 1. A request presenting a credential whose client IP, or whose credential
 *    (by SHA-256), this isolate knows to be locked is answered 429 at once:
 *    no key lookup, no signature check, no object call.
 * 2. When authentication then refuses the credential (401), the failure is
 *    recorded in the RateLimiter objects of the IP and of the credential
 *    (called in parallel: one round trip, on failed requests only), and a
 *    lock they report is remembered here.
 *
 * Trade-off: a lock is remembered per isolate. Another isolate learns of it
 * the first time it records a failure for that client, so a locked client
 * gets at most one more 401 per isolate it reaches; a correct credential from
 * a locked IP passes in isolates that have not learned of the lock. Checking
 * the lock in the object on every request would cost every request a round
 * trip.
 */
import { ExpiringCache } from "../expiring-cache";
import { perIsolate } from "../isolate";
import type { GatewayError } from "../problems";
import type { RequestLog } from "../request/record";
import { limiterMissing, quotaExceeded } from "./answers";
import { AUTH_FAILURE_POLICY, type AuthFailureSettings } from "./config";
import { isolateLimiter } from "./durable-object-limiter";
import { limitMembers, policyMembers, rateLimitFieldRecord, toSeconds, type FieldMember } from "./headers";
import { clientIp } from "./keys";
import type { LimiterNamespace } from "./limiter";

// Failure key → locked until (local clock).
const locks = perIsolate(() => new ExpiringCache<true>(10_000));

export class Lockout {
  readonly #settings: AuthFailureSettings;
  readonly #timeoutMs: number;
  readonly #policyField: readonly FieldMember[];

  /** `timeoutMs`: the route's budget for a rate-limiter call. */
  constructor(settings: AuthFailureSettings, timeoutMs: number) {
    this.#settings = settings;
    this.#timeoutMs = timeoutMs;
    this.#policyField = policyMembers([{ name: AUTH_FAILURE_POLICY, quota: settings.attempts, windowSeconds: settings.windowSeconds }]);
  }

  /** The failure keys of a presented credential: its client IP (if known) and its digest. */
  keys(digestHex: string, rawClientIp: string | null): string[] {
    const keys = [`${AUTH_FAILURE_POLICY}:credential:${digestHex}`];
    const ip = clientIp(rawClientIp);
    if (ip !== undefined) keys.unshift(`${AUTH_FAILURE_POLICY}:ip:${ip}`);
    return keys;
  }

  /** The 429 for a locked key this isolate knows of, or undefined. */
  refusal(keys: readonly string[]): GatewayError | undefined {
    const now = Date.now();
    const lockedUntil = Math.max(0, ...keys.map((k) => locks.get().expiresAt(k) ?? 0));
    if (lockedUntil <= now) return undefined;
    const retryInMs = lockedUntil - now;
    return quotaExceeded({
      violated: [AUTH_FAILURE_POLICY],
      retryInMs,
      policyField: this.#policyField,
      limits: [{ name: AUTH_FAILURE_POLICY, remaining: 0, resetSeconds: Math.max(1, toSeconds(retryInMs)) }],
      reason: "Too many failed authentication attempts",
    });
  }

  /** Records a refused credential; returns the RateLimit fields its 401 carries. */
  async record(namespace: LimiterNamespace | undefined, keys: readonly string[], log: RequestLog): Promise<Record<string, string>> {
    if (namespace === undefined) throw limiterMissing();
    const { attempts, windowSeconds, lockoutSeconds } = this.#settings;
    const limiter = isolateLimiter.get();
    const results = await Promise.all(keys.map((key) => limiter.recordFailure(namespace, { key, attempts, windowSeconds, lockoutSeconds, timeoutMs: this.#timeoutMs })));
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
        locks.get().set(key, true, result.lockedForMs);
        lockedForMs = Math.max(lockedForMs, result.lockedForMs);
      }
    });
    log.auth_failures = failures;
    if (failures === 0) return {};
    const limit = lockedForMs > 0
      ? { name: AUTH_FAILURE_POLICY, remaining: 0, resetSeconds: toSeconds(lockedForMs) }
      : { name: AUTH_FAILURE_POLICY, remaining: Math.max(0, attempts - failures) };
    return rateLimitFieldRecord(this.#policyField, limitMembers([limit]));
  }
}

