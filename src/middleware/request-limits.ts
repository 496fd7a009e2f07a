/**
 * Cheap checks that need no identity and no origin: size of the request
 * target and headers (414/431), ambiguous paths (400), the route (404), its methods (405), body
 * framing and declared length (400/413) and media type (415). They run before
 * authentication so that malformed or oversized requests cost no crypto,
 * no Durable Object call and no quota.
 */
import type { MiddlewareHandler } from "hono";
import { matchRoute } from "../config/gateway-config";
import type { GatewayEnv } from "../context";
import { checkDeclaredLength, checkMediaType, checkMethod, checkRequestSize, readBodyFraming } from "../limits/request-checks";
import { GatewayError } from "../problems";
import { pathAndQuery } from "../proxy/upstream-target";
import { ambiguity, canonicalPath } from "../routing/canonical-path";

export function requestLimits(): MiddlewareHandler<GatewayEnv> {
  return async function requestLimits(c, next) {
    const config = c.get("config");
    const log = c.get("log");
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
    log.route = route.name;

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
