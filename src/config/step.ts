/**
 * Makes the validated configuration available to the rest of the chain.
 * Parsing happens once per isolate (load-config.ts). An invalid configuration
 * was logged in full there; clients get a 500 problem that names nothing.
 */
import type { MiddlewareHandler } from "hono";
import { loadConfig } from "../config/load-config";
import type { GatewayEnv } from "../context";
import { GatewayError } from "../problems";

export function configuration(): MiddlewareHandler<GatewayEnv> {
  return async function configuration(c, next) {
    const result = loadConfig(c.env);
    if (!result.ok) {
      throw new GatewayError("internal-error", "The gateway is misconfigured and cannot serve requests. Quote the request id when reporting this.", {
        cause: `invalid configuration (${result.issues.length} issue(s), logged at isolate start)`,
      });
    }
    c.set("config", result.config);
    await next();
  };
}
