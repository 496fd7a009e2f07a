/**
 * The way a request travels through Portcullis, top to bottom. Each step is
 * a Hono middleware from the folder of its concern. The first five run for
 * every request; after routing, the route runs its own chain, composed once
 * from its plan: a step it has no plan for (no CORS policy, no auth, no
 * quota) is not in it at all.
 *
 *  1. requestContext   request id, trace context, the target as sent; one JSON
 *                      log line at the end                      (src/request)
 *  2. configuration    the compiled configuration, once per isolate, or a 500
 *                                                                (src/config)
 *  3. cors             (when any policy exists) reads Origin; on the way out
 *                      makes every answer readable, or not, by the page (src/cors)
 *  4. requestSize      414 over-long target, 431 over-large headers
 *                                                                (src/limits)
 *  5. routing          400 ambiguous path, the route or 404     (src/routing)
 *
 *  The route's chain:
 *  6. corsPreflight    a preflight answered here: no credential, no quota,
 *                      never the origin                         (src/cors)
 *  7. requestLimits    405 + Allow, 400 framing, 413 by Content-Length, 415
 *                                                                (src/limits)
 *  8. authenticate     the credential read once; lockout (429); API key or
 *                      JWT (401/400 RFC 6750); scopes (403)      (src/auth)
 *  9. rateLimit        the route's quotas in at most one Durable Object call
 *                      (429; RateLimit headers on every answer) (src/rate-limit)
 * 10. proxy            the upstream request built, sent under the deadline
 *                      (504/502, 413 counted while streaming), the answer
 *                      streamed back or, from 400 up, normalized into problem
 *                      details                          (src/proxy, src/normalize)
 *
 * Every error thrown anywhere ends in renderError as problem details.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { authenticate } from "./auth/step";
import { configuration } from "./config/step";
import { chain } from "./chain";
import type { RoutePlan } from "./config/compile";
import { routeOf, type GatewayEnv } from "./context";
import { cors, corsPreflight } from "./cors/cors";
import { renderError } from "./error-handler";
import { requestLimits, requestSize } from "./limits/step";
import { proxy } from "./proxy/step";
import { rateLimit } from "./rate-limit/step";
import { requestContext } from "./request/step";
import { routing } from "./routing/step";

/** The steps of a route's chain, in order: only those its plan calls for. */
function routeSteps(route: RoutePlan): MiddlewareHandler<GatewayEnv>[] {
  return [
    ...(route.cors !== undefined ? [corsPreflight()] : []),
    requestLimits(),
    ...(route.credentialSources !== undefined ? [authenticate()] : []),
    ...(route.rateLimit !== undefined ? [rateLimit()] : []),
    proxy(),
  ];
}

// Composed once per route of a compiled configuration.
const chains = new WeakMap<RoutePlan, ReturnType<typeof chain>>();

// Routes are the gateway's own (src/routing): Hono only chains the steps, so
// its router needs no path.
export const gateway = new Hono<GatewayEnv>({ getPath: () => "/" });

gateway.use(requestContext());
gateway.use(configuration());
gateway.use(cors());
gateway.use(requestSize());
gateway.use(routing());
gateway.all("*", (c) => {
  const route = routeOf(c);
  let run = chains.get(route);
  if (run === undefined) {
    run = chain(routeSteps(route), renderError);
    chains.set(route, run);
  }
  return run(c);
});
gateway.onError(renderError);
