/**
 * The last step: forward the request to the route's upstream and hand its
 * answer back, through the proxy's three seams (as in Go's httputil.ReverseProxy):
 *
 * 1. build the upstream request (upstream-request.ts);
 * 2. the exchange (exchange.ts): sent under the route's deadline, the body
 *    streamed and, without a declared length, counted (byte-counter.ts); for
 *    a named upstream, its URLs tried in order (src/upstreams); then the
 *    response inspected: a success streams back untouched, an error becomes
 *    problem details (src/normalize/origin-error-response.ts), whichever
 *    upstream (URL or service binding) sent it;
 * 3. one classification of every failure (upstream-failure.ts), rendered
 *    like any other error.
 */
import type { MiddlewareHandler } from "hono";
import { routeOf, type GatewayEnv } from "../context";
import { normalizeErrorResponse } from "../normalize/origin-error-response";
import { exchange } from "./exchange";
import { downstreamResponse } from "./header-hygiene";
import { upstreamRequest } from "./upstream-request";

export function proxy(): MiddlewareHandler<GatewayEnv> {
  return async function proxy(c) {
    const route = routeOf(c);
    const request = c.get("request");
    const inbound = c.req.raw;
    const outbound = upstreamRequest(inbound, request, route.upstream, c.get("identity"));
    const { response, deadline } = await exchange({ inbound, request, plan: route.upstream, outbound, maxBodyBytes: route.limits.maxBodyBytes, env: c.env });
    if (response.status >= 400) return normalizeErrorResponse(response, route.errors, request, deadline);
    // The body goes back untouched, a native stream to native stream pipe: no
    // JavaScript sees its chunks, so it is neither slowed down nor buffered.
    return downstreamResponse(response);
  };
}
