/**
 * The last step: forward the request to the origin and hand its answer back,
 * through the proxy's three seams (as in Go's httputil.ReverseProxy):
 *
 * 1. build the upstream request (upstream-request.ts);
 * 2. send it under the route's deadline, the body streamed and, without a
 *    declared length, counted (byte-counter.ts), and inspect the response:
 *    a success streams back untouched, an error becomes problem details
 *    (src/normalize/origin-error-response.ts);
 * 3. one classification of every failure (upstream-failure.ts), rendered
 *    like any other error.
 */
import type { MiddlewareHandler } from "hono";
import { routeOf, type GatewayEnv } from "../context";
import { normalizeErrorResponse } from "../normalize/origin-error-response";
import { GatewayError } from "../problems";
import { countedBody } from "./byte-counter";
import { downstreamResponse } from "./header-hygiene";
import { upstreamRequest } from "./upstream-request";
import { UpstreamTimeout, classifyFailure } from "./upstream-failure";

export function proxy(): MiddlewareHandler<GatewayEnv> {
  return async function proxy(c) {
    const route = routeOf(c);
    const request = c.get("request");
    const log = request.log;
    const inbound = c.req.raw;
    const { url, headers } = upstreamRequest(inbound, request, route.upstream, c.get("identity"));

    const abort = new AbortController();
    const maxBodyBytes = route.limits.maxBodyBytes;
    let body = inbound.body;
    let counter: ReturnType<typeof countedBody> | undefined;
    if (body !== null && !inbound.headers.has("content-length")) {
      // No declared length: count while streaming and cut the upload off the
      // moment it passes the limit. A declared length was checked already and
      // HTTP framing guarantees the body is no longer than it.
      counter = countedBody(body, maxBodyBytes, (reason) => abort.abort(reason));
      body = counter.body;
    }

    const timeoutMs = route.upstream.timeoutMs;
    // The deadline covers the whole exchange: an error body is read until then at most.
    const deadline = Date.now() + timeoutMs;
    const timer = setTimeout(() => abort.abort(new UpstreamTimeout(timeoutMs)), timeoutMs);

    let upstream: Response;
    try {
      upstream = await fetch(url, {
        method: inbound.method,
        headers,
        body,
        redirect: "manual",
        // Only the deadline's signal: when the client disconnects, Cloudflare
        // cancels the invocation's subrequests, this one included.
        signal: abort.signal,
      });
    } catch (error) {
      throw classifyFailure(abort.signal.reason, error, maxBodyBytes);
    } finally {
      clearTimeout(timer);
      if (counter !== undefined) log.bytes_in = counter.count();
    }
    log.origin_status = upstream.status;
    // RFC 9110 §15: a final response is 200-599 (Response cannot carry anything
    // else). A 1xx here is an interim response handed over as final, or a
    // status line the origin made up: either way not an answer to relay.
    if (upstream.status < 200 || upstream.status > 599) {
      await upstream.body?.cancel().catch(() => undefined);
      throw new GatewayError("bad-gateway", "The origin could not be reached or sent an invalid response.", {
        cause: `origin answered with status ${upstream.status}, which is not a final response`,
      });
    }
    if (upstream.status >= 400) return normalizeErrorResponse(upstream, route.errors, request, deadline);
    // The body goes back untouched, a native stream to native stream pipe: no
    // JavaScript sees its chunks, so it is neither slowed down nor buffered.
    return downstreamResponse(upstream);
  };
}
