/**
 * Rate limiting (README.md, Rate limiting). Runs after authentication, so the
 * consumer is known, and before the proxy, so a refused request never reaches
 * the origin. One limiter call per request at most; the answer is
 *
 * - allowed: the request goes on; every response (origin success or error,
 *   or a gateway error raised later) carries RateLimit-Policy and RateLimit
 *   (draft-ietf-httpapi-ratelimit-headers-10 §3, §4), merged with the origin's;
 * - denied: 429 quota-exceeded (draft §5.1) naming the violated policies, with
 *   Retry-After (RFC 9110 §10.2.3) no earlier than any `t` it is sent with;
 * - unchecked (the limiter failed or timed out): the route's failure mode:
 *   "open" proceeds and says so (`Portcullis-RateLimit: unchecked`, log field
 *   `rate_limit`), "closed" answers 503 service-unavailable.
 */
import type { MiddlewareHandler } from "hono";
import type { RouteRateLimitSettings } from "../config/rate-limit-config";
import type { GatewayEnv } from "../context";
import { GatewayError } from "../problems";
import { durableObjectLimiter } from "../rate-limit/durable-object-limiter";
import {
  UNCHECKED_HEADER,
  applyRateLimitFields,
  limitMembers,
  policyMembers,
  rateLimitFieldRecord,
  toSeconds,
  type FieldMember,
} from "../rate-limit/headers";
import { deriveKey, presentedCredential } from "../rate-limit/keys";
import type { LimitPolicy, Limiter, LimitResult, PolicyStatus } from "../rate-limit/limiter";

export interface RateLimitOptions {
  /** Where counts are kept: the RateLimiter Durable Objects unless given. */
  readonly limiter?: (env: Env) => Limiter;
}

/** What a route's policies need at request time, computed once per route. */
interface Plan {
  readonly policies: readonly LimitPolicy[];
  readonly policyField: readonly FieldMember[];
}

/** Seconds a client is asked to wait when the limiter is unavailable (fail-closed). */
const UNAVAILABLE_RETRY_AFTER = "1";

export function rateLimit(options: RateLimitOptions = {}): MiddlewareHandler<GatewayEnv> {
  const limiterFor = options.limiter ?? ((env: Env) => durableObjectLimiter(env.RATE_LIMITER));
  const plans = new WeakMap<RouteRateLimitSettings, Plan>();

  return async function rateLimit(c, next) {
    const config = c.get("config");
    const route = c.get("route");
    const log = c.get("log");
    const settings = route.settings.rateLimit;
    const first = settings.policies[0];
    if (first === undefined) return next();
    let plan = plans.get(settings);
    if (plan === undefined) {
      plan = {
        policies: settings.policies.map(({ name, quota, windowSeconds, cost, confirmWrites }) => ({ name, quota, windowSeconds, cost, confirmWrites })),
        policyField: policyMembers(settings.policies),
      };
      plans.set(settings, plan);
    }

    const key = await deriveKey(first.key, {
      identity: c.get("identity"),
      headers: c.req.raw.headers,
      routeName: route.name,
      credential: first.key.kind === "api_key" ? presentedCredential(c.req.raw, config.auth, route.settings.auth.mode) : undefined,
    });
    const ctx = c.executionCtx;
    const result = await limiterFor(c.env).check({
      key: key.id,
      policies: plan.policies,
      lease: settings.lease,
      timeoutMs: settings.timeoutMs,
      background: (work) => ctx.waitUntil(work),
    });
    log.rate_limit = result.outcome;
    log.rate_limit_key = key.kind;
    if (result.outcome !== "unchecked") log.rate_limit_via = result.via;

    if (result.outcome === "denied") throw quotaExceeded(plan, result);
    if (result.outcome === "unchecked") {
      log.rate_limit_error = result.reason;
      if (settings.failure === "closed") throw limiterUnavailable(plan, result.reason);
    }

    await next();

    // Every response from here on, the origin's and the gateway's own errors alike.
    const headers = c.res.headers;
    if (result.outcome === "allowed") {
      // None of these policies refused the request, so on a response that says
      // when to retry (an origin's 429 or 503) they carry no `t`: a `t` later
      // than Retry-After would contradict it (draft-ietf-httpapi-ratelimit-headers-10 §6).
      const statuses = headers.has("retry-after") ? result.policies.map(({ name, remaining }) => ({ name, remaining })) : result.policies.map(withReset);
      applyRateLimitFields(headers, plan.policyField, limitMembers(statuses));
    } else {
      applyRateLimitFields(headers, plan.policyField, []);
      headers.set(UNCHECKED_HEADER, "unchecked");
    }
  };
}

function withReset(status: PolicyStatus): { name: string; remaining: number; resetSeconds?: number } {
  const { name, remaining, releaseInMs } = status;
  return releaseInMs === undefined ? { name, remaining } : { name, remaining, resetSeconds: toSeconds(releaseInMs) };
}

function quotaExceeded(plan: Plan, result: Extract<LimitResult, { outcome: "denied" }>): GatewayError {
  // Whole seconds, rounded up, at least 1. Only the violated policies carry
  // `t`, each no later than this (draft §6: Retry-After SHOULD NOT be earlier than t).
  const retryAfter = Math.max(1, toSeconds(result.retryInMs));
  const violated = new Set(result.violated);
  const limits = limitMembers(result.policies.map((p) => (violated.has(p.name) ? withReset(p) : { name: p.name, remaining: p.remaining })));
  const names = result.violated.map((n) => `"${n}"`).join(", ");
  return new GatewayError("quota-exceeded", `The quota of ${names} is used up; retry after ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`, {
    headers: { "retry-after": String(retryAfter), ...rateLimitFieldRecord(plan.policyField, limits) },
    extensions: { "violated-policies": [...result.violated] },
  });
}

function limiterUnavailable(plan: Plan, reason: string): GatewayError {
  return new GatewayError("service-unavailable", "The rate limiter could not be reached, and this route does not proceed unchecked. Try again shortly.", {
    headers: { "retry-after": UNAVAILABLE_RETRY_AFTER, [UNCHECKED_HEADER]: "unchecked", ...rateLimitFieldRecord(plan.policyField, []) },
    cause: `rate limiter unavailable: ${reason}`,
  });
}
