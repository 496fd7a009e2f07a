/**
 * What the steps of src/gateway.ts know about one request: Hono context
 * variables, each set once by the step that owns it and read-only after.
 * `request` is set first, by requestContext; the others exist only once
 * their step has run, so they are typed as possibly absent and read through
 * the accessors below, which name the step a bug skipped.
 */
import type { Context } from "hono";
import type { Credential } from "./auth/credentials";
import type { Identity } from "./auth/identity";
import type { GatewayPlan, RoutePlan } from "./config/compile";
import type { CorsRequest } from "./cors/policy";
import { GatewayError } from "./problems";
import type { RequestRecord } from "./request/record";

export interface GatewayVariables {
  request: RequestRecord;
  /** The compiled configuration (src/config/step.ts). */
  plan?: GatewayPlan;
  /** The route the request matched (src/routing/step.ts). */
  route?: RoutePlan;
  /** Origin and preflight headers, read once by the cors step when any policy exists. */
  cors?: CorsRequest;
  /** The credential the request presents, read once where the route reads one (src/auth/step.ts). */
  credential?: Credential;
  /** Absent on public routes. */
  identity?: Identity;
}

export interface GatewayEnv {
  Bindings: Env;
  Variables: GatewayVariables;
}

export type GatewayContext = Context<GatewayEnv>;

function missing(what: string): GatewayError {
  return new GatewayError("internal-error", "The gateway failed to process the request. Quote the request id when reporting this.", {
    cause: `${what} is not set: a step ran before the one that sets it`,
  });
}

export function planOf(c: GatewayContext): GatewayPlan {
  const plan = c.get("plan");
  if (plan === undefined) throw missing("the compiled configuration");
  return plan;
}

export function routeOf(c: GatewayContext): RoutePlan {
  const route = c.get("route");
  if (route === undefined) throw missing("the route");
  return route;
}
