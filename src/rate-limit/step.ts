/**
 * Rate limiting (docs/rate-limiting.md). Runs after authentication, so the
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
import { routeOf, type GatewayContext, type GatewayEnv } from "../context";
import { limiterMissing, limiterUnavailable, quotaExceeded } from "./answers";
import { isolateLimiter } from "./durable-object-limiter";
import { UNCHECKED_HEADER, applyRateLimitFields, limitMembers, toSeconds, type ServiceLimit } from "./headers";
import { deriveKey } from "./keys";
import type { PolicyStatus } from "./limiter";

export function rateLimit(): MiddlewareHandler<GatewayEnv> {
  return async function rateLimit(c, next) {
    const route = routeOf(c);
    const plan = route.rateLimit;
    if (plan === undefined) return next();
    const request = c.get("request");
    const log = request.log;
    const namespace = c.env.RATE_LIMITER;
    if (namespace === undefined) throw limiterMissing();

    const key = await deriveKey(plan.key, {
      identity: c.get("identity"),
      headers: c.req.raw.headers,
      routeName: route.name,
      credential: c.get("credential"),
      clientIp: request.clientIp,
    });
    const result = await isolateLimiter.get().check(namespace, {
      key: key.id,
      policies: plan.objectPolicies,
      lease: plan.lease,
      holdMs: plan.holdMs,
      confirmWrites: plan.confirmWrites,
      timeoutMs: plan.timeoutMs,
      background: background(c),
    });
    log.rate_limit = result.outcome;
    log.rate_limit_key = key.kind;
    if (result.outcome !== "unchecked") log.rate_limit_via = result.via;

    if (result.outcome === "denied") {
      const names = result.violated.map((n) => `"${n}"`).join(", ");
      throw quotaExceeded({ violated: result.violated, retryInMs: result.retryInMs, policyField: plan.policyField, limits: result.policies.map(withReset), reason: `The quota of ${names} is used up` });
    }
    if (result.outcome === "unchecked") {
      log.rate_limit_error = result.reason;
      if (plan.failure === "closed") throw limiterUnavailable(plan.policyField, result.reason);
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

function withReset(status: PolicyStatus): ServiceLimit {
  const { name, remaining, releaseInMs } = status;
  return releaseInMs === undefined ? { name, remaining } : { name, remaining, resetSeconds: toSeconds(releaseInMs) };
}

/** Keeps a lease refill alive past the response (waitUntil), where the request has an execution context. */
function background(c: GatewayContext): ((work: Promise<unknown>) => void) | undefined {
  let ctx: { waitUntil(work: Promise<unknown>): void };
  try {
    ctx = c.executionCtx;
  } catch {
    return undefined;
  }
  return (work) => ctx.waitUntil(work);
}
