/**
 * CORS (docs/cors.md), as two steps of the chain (src/gateway.ts):
 *
 * - `cors` sits before routing and reads the request's Origin once. After the
 *   rest of the chain, it makes every answer but a preflight's readable (or
 *   not) by the page, by the route's policy: origin successes, normalized
 *   origin errors and every problem thrown after it, since Hono's `c.res` is
 *   the rendered error by then. Answers from before a route was chosen (414,
 *   431, ambiguous path, 404) use the `[defaults]` policy.
 * - `corsPreflight` sits right after routing and answers a preflight on a
 *   route whose CORS the gateway owns: 204 with the allow headers, or a 403
 *   problem naming what was refused. It runs before the method, size and
 *   media-type checks (which a preflight is not subject to: the browser sends
 *   it without body or credentials, Fetch §3.2), the lockout, authentication and rate
 *   limiting, so it needs no credential, costs no quota, counts as no failed
 *   attempt and never reaches the origin.
 *
 * A route without a policy (no `cors` key, or `cors = false`) is left exactly
 * as before: its preflights and headers are the origin's business.
 */
import type { MiddlewareHandler } from "hono";
import { planOf, routeOf, type GatewayEnv } from "../context";
import { GatewayError } from "../problems";
import { PREFLIGHT_VARY, applyCorsHeaders, decidePreflight, readCorsRequest } from "./policy";

export function cors(): MiddlewareHandler<GatewayEnv> {
  return async function cors(c, next) {
    const plan = planOf(c);
    if (!plan.corsEnabled) return next();
    const request = readCorsRequest(c.req.method, c.req.raw.headers);
    c.set("cors", request);

    await next();

    // A preflight's answer is complete as corsPreflight sent it; one refused
    // before routing fails in the browser whatever it carries (Fetch, "CORS-preflight fetch").
    if (request.preflight !== undefined) return;
    // Unset when the request was refused before a route was chosen.
    const cors = (c.get("route") ?? plan.defaults).cors;
    if (cors !== undefined) applyCorsHeaders(c.res.headers, cors, request.origin);
  };
}

export function corsPreflight(): MiddlewareHandler<GatewayEnv> {
  return async function corsPreflight(c, next) {
    const plan = routeOf(c).cors;
    const preflight = c.get("cors")?.preflight;
    if (plan === undefined || preflight === undefined) return next();
    const decision = decidePreflight(plan, preflight);
    const log = c.get("request").log;
    log.cors_preflight = decision.allowed ? "allowed" : `refused ${decision.refused}`;
    if (!decision.allowed) throw new GatewayError("cors-rejected", decision.detail, { headers: { vary: PREFLIGHT_VARY } });
    // RFC 9110 §15.3.5: a 204 has no content; the answer is all in its headers.
    return new Response(null, { status: 204, headers: decision.headers });
  };
}
