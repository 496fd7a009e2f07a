/**
 * The rate limiter's refusals, built in one place: 429 quota-exceeded for a
 * used-up quota and for a locked-out client alike, and 503 when the limiter
 * cannot answer on a fail-closed route.
 */
import { GatewayError } from "../problems";
import { UNCHECKED_HEADER, limitMembers, rateLimitFieldRecord, toSeconds, type FieldMember, type ServiceLimit } from "./headers";

/** Seconds a client is asked to wait when the limiter is unavailable (fail-closed). */
const UNAVAILABLE_RETRY_AFTER = "1";

/**
 * 429 (draft-ietf-httpapi-ratelimit-headers-10 §5.1): Retry-After in whole
 * seconds, rounded up, at least 1, and no earlier than any `t` sent with it
 * (§6) — only the violated policies carry `t`, each no later than this.
 */
export function quotaExceeded(options: {
  readonly violated: readonly string[];
  readonly retryInMs: number;
  readonly policyField: readonly FieldMember[];
  /** Every policy's limit; those not violated lose their `t`. */
  readonly limits: readonly ServiceLimit[];
  /** The sentence before "retry after …". */
  readonly reason: string;
}): GatewayError {
  const retryAfter = Math.max(1, toSeconds(options.retryInMs));
  const violated = new Set(options.violated);
  const limits = limitMembers(options.limits.map((l) => (!violated.has(l.name) ? { name: l.name, remaining: l.remaining } : l.resetSeconds === undefined ? l : { ...l, resetSeconds: Math.min(l.resetSeconds, retryAfter) })));
  return new GatewayError("quota-exceeded", `${options.reason}; retry after ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`, {
    headers: { "retry-after": String(retryAfter), ...rateLimitFieldRecord(options.policyField, limits) },
    extensions: { "violated-policies": [...options.violated] },
  });
}

export function limiterUnavailable(policyField: readonly FieldMember[], reason: string): GatewayError {
  return new GatewayError("service-unavailable", "The rate limiter could not be reached, and this route does not proceed unchecked. Try again shortly.", {
    headers: { "retry-after": UNAVAILABLE_RETRY_AFTER, [UNCHECKED_HEADER]: "unchecked", ...rateLimitFieldRecord(policyField, []) },
    cause: `rate limiter unavailable: ${reason}`,
  });
}

/**
 * Rate limits or the lockout are configured, but the Worker has no RateLimiter
 * binding: a deployment mistake (npm run check names it). Never a reason to
 * let requests through unlimited, whatever the route's failure mode.
 */
export function limiterMissing(): GatewayError {
  return new GatewayError("internal-error", "The gateway is misconfigured and cannot serve this route. Quote the request id when reporting this.", {
    cause: "rate limits are configured, but the Worker has no RATE_LIMITER Durable Object binding ([[durable_objects.bindings]] in wrangler.toml)",
  });
}
