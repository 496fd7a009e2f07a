/**
 * The way a request travels through Portcullis, top to bottom.
 *
 * 1. requestContext  request id, trace context, one JSON log line at the end
 * 2. configuration   the validated config (parsed once per isolate) or a 500
 * 3. cors            CORS headers on every answer but a preflight's, by the
 *                    route's policy ([defaults]' for answers before routing)
 * 4. routing         414/431, ambiguous path (400), route (404)
 * 5. corsPreflight   a preflight on a route with a CORS policy is answered
 *                    here (204, or 403 cors-rejected): no credential, no
 *                    quota, no failed attempt, never the origin
 * 6. requestLimits   405, framing (400), 413 by Content-Length, 415: with 4,
 *                    cheap, identity-free checks first,
 *                    so bad requests cost no crypto and no quota
 * 7. authFailureThrottle
 *                    429 for a client IP or credential locked after repeated
 *                    failed authentication; records each 401 of step 8
 * 8. authenticate    the route's auth (API key or JWT): 401/400/403 with a
 *                    Bearer challenge (RFC 6750 §3), sets the identity; on
 *                    every route strips spoofed identity headers and the
 *                    credential (unless pass_credentials) from the upstream
 * 9. rateLimit       the route's quota policies in one Durable Object call:
 *                    429 over quota, RateLimit headers on every response after it
 * 10. normalizeOriginErrors
 *                    origin answers >= 400 become problem details with the
 *                    origin's status, whatever its error dialect
 * 11. proxy          stream to the origin under the route's deadline
 *                    (504/502, 413 counted while a chunked body streams)
 *
 * Every error thrown anywhere ends in renderError as problem details.
 */
import { Hono } from "hono";
import type { GatewayEnv } from "./context";
import { cors, corsPreflight } from "./cors/cors";
import { renderError } from "./error-handler";
import { authFailureThrottle } from "./middleware/auth-failure-throttle";
import { authenticate } from "./middleware/authenticate";
import { configuration } from "./middleware/configuration";
import { requestContext } from "./middleware/request-context";
import { normalizeOriginErrors } from "./middleware/normalize-origin-errors";
import { rateLimit } from "./middleware/rate-limit";
import { requestLimits, routing } from "./middleware/request-limits";
import { proxy } from "./proxy/proxy";

export const gateway = new Hono<GatewayEnv>();

gateway.use(requestContext());
gateway.use(configuration());
gateway.use(cors());
gateway.use(routing());
gateway.use(corsPreflight());
gateway.use(requestLimits());
gateway.use(authFailureThrottle());
gateway.use(authenticate());
gateway.use(rateLimit());
gateway.use(normalizeOriginErrors());
gateway.all("*", proxy());
gateway.onError(renderError);
