/**
 * The way a request travels through Portcullis, top to bottom.
 *
 * 1. requestContext  request id, trace context, one JSON log line at the end
 * 2. configuration   the validated config (parsed once per isolate) or a 500
 * 3. requestLimits   414/431, route (404), 405, framing (400), 413 by
 *                    Content-Length, 415: cheap, identity-free checks first,
 *                    so bad requests cost no crypto and no quota
 * 4. proxy           stream to the origin under the route's deadline
 *                    (504/502, 413 counted while a chunked body streams)
 *
 * Every error thrown anywhere ends in renderError as problem details.
 */
import { Hono } from "hono";
import type { GatewayEnv } from "./context";
import { renderError } from "./error-handler";
import { configuration } from "./middleware/configuration";
import { requestContext } from "./middleware/request-context";
import { requestLimits } from "./middleware/request-limits";
import { proxy } from "./proxy/proxy";

export const gateway = new Hono<GatewayEnv>();

gateway.use(requestContext());
gateway.use(configuration());
gateway.use(requestLimits());
gateway.all("*", proxy());
gateway.onError(renderError);
