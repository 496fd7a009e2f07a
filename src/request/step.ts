/**
 * First in the chain: the request record every later step and every problem
 * uses (request id, trace context, the target as sent), and the one
 * structured log line per request, written once the response is known.
 */
import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../context";
import type { RequestLog, RequestRecord } from "./record";
import { nextTraceparent, requestIdFrom } from "./request-id";

export function requestContext(): MiddlewareHandler<GatewayEnv> {
  return async function requestContext(c, next) {
    const started = Date.now();
    const raw = c.req.raw;
    const headers = raw.headers;
    const log: RequestLog = {};
    const request = readRecord(raw.url, headers, log);
    c.set("request", request);

    await next();

    const res = c.res;
    res.headers.set("x-request-id", request.id);
    // Bodies stream through unread, so their size is what Content-Length declares.
    const length = res.headers.get("content-length");
    if (length !== null) log.bytes_out = Number(length);
    const status = res.status;
    const line = {
      level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
      request_id: request.id,
      method: raw.method,
      path: request.path,
      ...log,
      status,
      duration_ms: Date.now() - started,
    };
    console.log(JSON.stringify(line));
  };
}

/**
 * Reads the URL string the runtime serialized (already parsed and normalized
 * by it: dot segments resolved), without parsing it again.
 */
function readRecord(url: string, headers: Headers, log: RequestLog): RequestRecord {
  const colon = url.indexOf(":");
  const authorityStart = colon + 3;
  let pathStart = url.indexOf("/", authorityStart);
  if (pathStart === -1) pathStart = url.length;
  const hash = url.indexOf("#", pathStart);
  const target = pathStart === url.length ? "/" : url.slice(pathStart, hash === -1 ? undefined : hash);
  const query = target.indexOf("?");
  return {
    id: requestIdFrom(headers.get("x-request-id")),
    traceparent: nextTraceparent(headers.get("traceparent")).traceparent,
    target,
    path: query === -1 ? target : target.slice(0, query),
    proto: url.slice(0, colon),
    host: url.slice(authorityStart, pathStart),
    clientIp: headers.get("cf-connecting-ip"),
    log,
  };
}
