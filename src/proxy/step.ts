/**
 * The last step: forward the request to the origin and stream the answer
 * back. Three seams, as in Go's httputil.ReverseProxy: build the outbound
 * request (the inbound one is never mutated), send it under a deadline, and
 * classify every failure once (deadline → 504, anything else → 502).
 */
import type { MiddlewareHandler } from "hono";
import type { AuthConfig } from "../config/auth-config";
import type { GatewayEnv } from "../context";
import { GatewayError } from "../problems";
import { countedBody } from "./byte-counter";
import { downstreamResponseHeaders, upstreamRequestHeaders } from "./header-hygiene";
import { upstreamUrl } from "./upstream-target";
import { UpstreamTimeout, classifyFailure } from "./upstream-failure";

// The identity and credential headers of an auth config, lower-case: computed once per config.
const reserved = new WeakMap<AuthConfig, ReadonlySet<string>>();
function reservedHeaders(auth: AuthConfig): ReadonlySet<string> {
  let names = reserved.get(auth);
  if (names === undefined) {
    const { consumer, scopes, subject } = auth.identityHeaders;
    names = new Set([consumer, scopes, subject, "authorization", auth.apiKeyHeader]);
    reserved.set(auth, names);
  }
  return names;
}

export function proxy(): MiddlewareHandler<GatewayEnv> {
  return async function proxy(c) {
    const config = c.get("config");
    const route = c.get("route");
    const requestId = c.get("requestId");
    const traceparent = c.get("traceparent");
    const log = c.get("log");
    const upstreamRewrite = c.get("upstreamRewrite");
    const inbound = c.req.raw;
    const url = c.get("url");

    const headers = upstreamRequestHeaders(inbound.headers, {
      ip: inbound.headers.get("cf-connecting-ip"),
      proto: url.protocol.slice(0, -1),
      host: url.host,
    }, reservedHeaders(config.auth));
    headers.set("x-request-id", requestId);
    headers.set("traceparent", traceparent);
    upstreamRewrite?.headers(headers);

    const abort = new AbortController();
    let body = inbound.body;
    let counter: ReturnType<typeof countedBody> | undefined;
    if (body !== null && !inbound.headers.has("content-length")) {
      // No declared length: count while streaming and cut the upload off the
      // moment it passes the limit. A declared length was checked already and
      // HTTP framing guarantees the body is no longer than it.
      counter = countedBody(body, route.settings.maxBodyBytes, (reason) => abort.abort(reason));
      body = counter.body;
    }

    const timeoutMs = route.settings.timeoutMs;
    const timer = setTimeout(() => abort.abort(new UpstreamTimeout(timeoutMs)), timeoutMs);
    // The deadline covers the whole exchange: an error body is read until then at most.
    c.set("originDeadline", Date.now() + timeoutMs);

    let upstream: Response;
    try {
      upstream = await fetch(upstreamUrl(config.origin.base, upstreamRewrite?.url ?? inbound.url), {
        method: inbound.method,
        headers,
        body,
        redirect: "manual",
        // Only the deadline's signal: when the client disconnects, Cloudflare
        // cancels the invocation's subrequests, this one included. (Combining
        // it with the request's signal via AbortSignal.any cost measurable CPU
        // per request in workerd, for a signal that fires only with the
        // enable_request_signal compatibility flag.)
        signal: abort.signal,
      });
    } catch (error) {
      throw classifyFailure(abort.signal.reason, error, route.settings.maxBodyBytes);
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

    // The body goes back untouched, a native stream to native stream pipe: no
    // JavaScript sees its chunks, so it is neither slowed down nor buffered.
    return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: downstreamResponseHeaders(upstream.headers) });
  };
}
