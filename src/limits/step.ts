/**
 * Cheap checks that need no identity and no origin, in two steps: `routing`
 * (size of the request target and headers (414/431), ambiguous paths (400),
 * the route (404)) and `requestLimits` (its methods (405), body framing and
 * declared length (400/413) and media type (415)). They run before
 * authentication so that malformed or oversized requests cost no crypto,
 * no Durable Object call and no quota; a CORS preflight is answered between
 * the two (src/cors/cors.ts).
 */
import type { MiddlewareHandler } from "hono";
import { matchRoute } from "../config/gateway-config";
import type { GatewayEnv } from "../context";
import { checkDeclaredLength, checkMediaType, checkMethod, checkRequestSize, readBodyFraming } from "../limits/request-checks";
import { GatewayError } from "../problems";
import { pathAndQuery } from "../proxy/upstream-target";
import { ambiguity, canonicalPath } from "../routing/canonical-path";

export function routing(): MiddlewareHandler<GatewayEnv> {
  return async function routing(c, next) {
    const config = c.get("config");
    const req = c.req.raw;
    const target = pathAndQuery(req.url);
    const sizeError = checkRequestSize(target, req.headers, config);
    if (sizeError) throw sizeError;

    const path = c.get("url").pathname;
    const canonical = canonicalPath(path);
    const ambiguous = config.rejectAmbiguousPaths ? ambiguity(path, canonical) : undefined;
    if (ambiguous !== undefined) {
      throw new GatewayError("invalid-request", `The request path is ambiguous: it contains ${ambiguous}. Send the path in its plain form.`);
    }
    const route = matchRoute(config, canonical);
    if (route === undefined) throw new GatewayError("not-found", `No route is configured for ${path}.`);
    c.set("route", route);
    c.get("log").route = route.name;
    await next();
  };
}

export function requestLimits(): MiddlewareHandler<GatewayEnv> {
  return async function requestLimits(c, next) {
    const route = c.get("route");
    const log = c.get("log");
    const req = c.req.raw;
    const methodError = checkMethod(req.method, route.settings);
    if (methodError) throw methodError;

    const framing = readBodyFraming(req.headers, req.body !== null);
    if (framing instanceof GatewayError) throw framing;
    if (framing.kind === "length") log.bytes_in = framing.length;
    const tooLarge = checkDeclaredLength(framing, route.settings);
    if (tooLarge) throw tooLarge;
    const mediaError = checkMediaType(req.method, req.headers.get("content-type"), framing, route.settings);
    if (mediaError) throw mediaError;

    await next();
  };
}
