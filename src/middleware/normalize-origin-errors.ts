/**
 * Every origin response with status >= 400 leaves as RFC 9457 problem
 * details with the origin's status, whatever dialect the origin speaks
 * (src/normalize). Responses below 400 are not touched, not even read: they
 * stream through as the proxy returned them.
 *
 * It sits right before the proxy, so the rate limiter's headers are added to
 * the normalized problem on the way out, and the gateway's own problems (502,
 * 504 … thrown by the proxy) are never normalized a second time.
 */
import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../context";
import { normalizeOriginError } from "../normalize/normalize-origin-error";
import { readErrorBody } from "../normalize/read-error-body";
import { problemResponse } from "../problems";

// Headers that carry meaning for the client and survive normalization; the
// body's own headers (Content-Length, Content-Encoding, …) describe a body
// that is no longer sent, and the rest may carry origin internals.
const KEPT_HEADERS = [
  "retry-after", // RFC 9110 §10.2.3, with 429 and 503
  "www-authenticate", // RFC 9110 §11.6.1, required with 401
  "allow", // RFC 9110 §10.2.1, required with 405
  "accept",
  "accept-post",
  "accept-patch", // RFC 9110 §12.5.1, W3C LDP §7.1, RFC 5789 §3.1, with 415
  "ratelimit",
  "ratelimit-policy",
  "location",
  "via",
] as const;

export function normalizeOriginErrors(): MiddlewareHandler<GatewayEnv> {
  return async function normalizeOriginErrors(c, next) {
    await next();
    const origin = c.res;
    const log = c.get("log");
    // Only answers the origin gave: c.error is set when the gateway produced the response.
    if (c.error !== undefined || log.origin_status === undefined || origin.status < 400) return;

    const config = c.get("config");

    const route = c.get("route");

    const requestId = c.get("requestId");
    const body = await readErrorBody(origin.body, origin.headers, config.errors.maxBodyBytes);
    const result = normalizeOriginError(
      { status: origin.status, headers: origin.headers, text: body.text, truncated: body.truncated },
      { exposeServerErrors: route.settings.errors.exposeServerErrors, maxDetailLength: config.errors.maxDetailLength, codeTypes: route.settings.errors.codeTypes, codeHeaders: config.errors.codeHeaders },
      { requestId, instance: c.get("url").pathname },
    );

    // The operator keeps everything the origin said; the client gets the problem.
    log.problem_type = result.problem.type;
    log.origin_dialect = result.log.dialect;
    if (result.log.code !== undefined) log.origin_code = result.log.code;
    if (result.log.originDetail !== undefined) log.origin_detail = result.log.originDetail;
    if (body.truncated) log.origin_body_truncated = true;
    if (body.undecodable !== undefined) log.origin_body_undecodable = body.undecodable;

    const headers = new Headers();
    for (const name of KEPT_HEADERS) {
      const value = origin.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const problem = problemResponse(result.problem, headers);
    // Hono merges the previous response's headers into a new c.res; start clean.
    c.res = undefined;
    c.res = problem;
  };
}
