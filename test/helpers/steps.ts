/**
 * A tiny Hono app for testing one step of src/gateway.ts on its own: the real
 * first steps (request record, compiled configuration, routing) run before
 * it, so nothing about the context is faked, and a handler of the test's
 * stands where the rest of the chain would be.
 */
import { Hono, type Handler, type MiddlewareHandler } from "hono";
import { configuration } from "../../src/config/step";
import type { GatewayEnv } from "../../src/context";
import { renderError } from "../../src/error-handler";
import { requestContext } from "../../src/request/step";
import { routing } from "../../src/routing/step";

export function stepApp(step: MiddlewareHandler<GatewayEnv>, handler: Handler<GatewayEnv>): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.use(requestContext(), configuration(), routing(), step);
  app.all("*", handler);
  app.onError(renderError);
  return app;
}
