/**
 * Makes the compiled configuration available to the rest of the chain.
 * Parsing and compiling happen once per isolate (load.ts). An invalid
 * configuration was logged in full there; clients get a 500 problem that
 * names nothing.
 */
import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../context";
import { GatewayError } from "../problems";
import { loadGateway } from "./load";

export function configuration(): MiddlewareHandler<GatewayEnv> {
  return async function configuration(c, next) {
    const result = loadGateway(c.env);
    if (!result.ok) {
      throw new GatewayError("internal-error", "The gateway is misconfigured and cannot serve requests. Quote the request id when reporting this.", {
        cause: `invalid configuration (${result.issues.length} issue(s), logged at isolate start)`,
      });
    }
    c.set("plan", result.plan);
    await next();
  };
}
