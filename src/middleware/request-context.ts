/**
 * First in the chain: the request id and trace context every later step and
 * every problem uses, and the one structured log line per request.
 */
import type { MiddlewareHandler } from "hono";
import type { GatewayEnv, RequestLog } from "../context";
import { nextTraceparent, requestIdFrom } from "../request-id";

export function requestContext(): MiddlewareHandler<GatewayEnv> {
  return async function requestContext(c, next) {
    const started = Date.now();
    const requestId = requestIdFrom(c.req.header("x-request-id") ?? null);
    const log: RequestLog = {};
    const url = new URL(c.req.url);
    c.set("url", url);
    c.set("requestId", requestId);
    c.set("traceparent", nextTraceparent(c.req.header("traceparent") ?? null).traceparent);
    c.set("log", log);

    await next();

    c.res.headers.set("x-request-id", requestId);
    // Bodies stream through unread, so their size is what Content-Length declares.
    const length = c.res.headers.get("content-length");
    if (length !== null) log.bytes_out = Number(length);
    const line = {
      level: c.res.status >= 500 ? "error" : c.res.status >= 400 ? "warn" : "info",
      request_id: requestId,
      method: c.req.method,
      path: url.pathname,
      ...log,
      status: c.res.status,
      duration_ms: Date.now() - started,
    };
    console.log(JSON.stringify(line));
  };
}
