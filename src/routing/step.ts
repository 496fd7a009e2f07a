/**
 * Routing: the path is read as origins read it (canonical-path.ts), refused
 * when servers read it differently (400, unless `reject_ambiguous_paths =
 * false`), and matched against the routes in order, the first match winning;
 * no match is `[defaults]` (with `unmatched = "proxy"`) or 404.
 */
import type { MiddlewareHandler } from "hono";
import type { GatewayPlan, RoutePlan } from "../config/compile";
import { planOf, type GatewayEnv } from "../context";
import { GatewayError } from "../problems";
import { ambiguity, canonicalPath } from "./canonical-path";

export function routing(): MiddlewareHandler<GatewayEnv> {
  return async function routing(c, next) {
    const plan = planOf(c);
    const request = c.get("request");
    const path = request.path;
    const canonical = canonicalPath(path);
    const ambiguous = plan.rejectAmbiguousPaths ? ambiguity(path, canonical) : undefined;
    if (ambiguous !== undefined) {
      throw new GatewayError("invalid-request", `The request path is ambiguous: it contains ${ambiguous}. Send the path in its plain form.`);
    }
    const route = matchRoute(plan, canonical);
    if (route === undefined) throw new GatewayError("not-found", `No route is configured for ${path}.`);
    c.set("route", route);
    request.log.route = route.name;
    await next();
  };
}

/** First route whose pattern matches the canonical path, in the order they are listed. */
export function matchRoute(plan: GatewayPlan, canonical: string): RoutePlan | undefined {
  for (const route of plan.routes) {
    if (route.pattern?.matches(canonical) === true) return route;
  }
  return plan.unmatched === "proxy" ? plan.defaults : undefined;
}
