/**
 * A route's own steps, run as Hono runs an app's middleware (koa-style
 * `next`, and an error rendered at the level it was thrown, so the steps
 * before it see the rendered problem after `await next()`), but composed once
 * per route from its plan: a route pays nothing for the steps it has no plan
 * for. Measured in workerd, each middleware layer costs about as much as a
 * header change, which a plain proxy route would otherwise pay four times.
 */
import type { ErrorHandler, MiddlewareHandler } from "hono";
import type { GatewayContext, GatewayEnv } from "./context";

export function chain(steps: readonly MiddlewareHandler<GatewayEnv>[], onError: ErrorHandler<GatewayEnv>): (c: GatewayContext) => Promise<Response> {
  return async function route(c) {
    const dispatch = async (i: number): Promise<void> => {
      const step = steps[i];
      if (step === undefined) return;
      let res: Response | void;
      let isError = false;
      try {
        res = await step(c, () => dispatch(i + 1));
      } catch (err) {
        if (!(err instanceof Error)) throw err;
        c.error = err;
        res = await onError(err, c);
        isError = true;
      }
      // As Hono's compose: a step's answer becomes the response unless one is set already.
      if (res instanceof Response && (!c.finalized || isError)) c.res = res;
    };
    await dispatch(0);
    return c.res;
  };
}
