/**
 * The way a request travels through Portcullis, top to bottom. Each step is
 * a Hono middleware from the folder of its concern; a step whose route has
 * no plan for it (no auth, no quota, no CORS policy) passes at once.
 *
 *  1. requestContext   request id, trace context, the target as sent; one JSON
 *                      log line at the end                      (src/request)
 *  2. configuration    the compiled configuration, once per isolate, or a 500
 *                                                                (src/config)
 *  3. cors             reads Origin; on the way out makes every answer
 *                      readable (or not) by the page            (src/cors)
 *  4. requestSize      414 over-long target, 431 over-large headers
 *                                                                (src/limits)
 *  5. routing          400 ambiguous path, the route or 404     (src/routing)
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
import { Hono } from "hono";
import { authenticate } from "./auth/step";
import { configuration } from "./config/step";
import type { GatewayEnv } from "./context";
import { cors, corsPreflight } from "./cors/cors";
import { renderError } from "./error-handler";
import { requestLimits, requestSize } from "./limits/step";
import { proxy } from "./proxy/step";
import { rateLimit } from "./rate-limit/step";
import { requestContext } from "./request/step";
import { routing } from "./routing/step";

// Routes are the gateway's own (src/routing): Hono only chains the steps, so
// its router needs no path.
export const gateway = new Hono<GatewayEnv>({ getPath: () => "/" });

gateway.use(requestContext());
gateway.use(configuration());
gateway.use(cors());
gateway.use(requestSize());
gateway.use(routing());
gateway.use(corsPreflight());
gateway.use(requestLimits());
gateway.use(authenticate());
gateway.use(rateLimit());
gateway.all("*", proxy());
gateway.onError(renderError);
