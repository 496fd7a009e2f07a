/**
 * Cheap checks that need no identity and no origin, in two steps around
 * routing: `requestSize` (the request target and header section, 414/431)
 * before a route is chosen, and `requestLimits` (the route's methods (405),
 * body framing and declared length (400/413) and media type (415)) after it
 * and after a CORS preflight has been answered (a preflight is not subject
 * to them). They run before authentication so that malformed or oversized
 * requests cost no crypto, no Durable Object call and no quota.
 */
import type { MiddlewareHandler } from "hono";
import { planOf, routeOf, type GatewayEnv } from "../context";
import { GatewayError } from "../problems";
import { checkDeclaredLength, checkMediaType, checkMethod, checkRequestSize, readBodyFraming } from "./request-checks";

export function requestSize(): MiddlewareHandler<GatewayEnv> {
  return async function requestSize(c, next) {
    const sizeError = checkRequestSize(c.get("request").target, c.req.raw.headers, planOf(c).requestSize);
    if (sizeError) throw sizeError;
    await next();
  };
}

export function requestLimits(): MiddlewareHandler<GatewayEnv> {
  return async function requestLimits(c, next) {
    const limits = routeOf(c).limits;
    const req = c.req.raw;
    const methodError = checkMethod(req.method, limits);
    if (methodError) throw methodError;

    const framing = readBodyFraming(req.headers, req.body !== null);
    if (framing instanceof GatewayError) throw framing;
    if (framing.kind === "length") c.get("request").log.bytes_in = framing.length;
    const tooLarge = checkDeclaredLength(framing, limits);
    if (tooLarge) throw tooLarge;
    const mediaError = checkMediaType(req.method, req.headers.get("content-type"), framing, limits);
    if (mediaError) throw mediaError;

    await next();
  };
}
