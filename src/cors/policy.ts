/**
 * The CORS protocol as the gateway speaks it (Fetch standard §3.2), as pure
 * functions over a route's plan. A plan is compiled once per route at config
 * time: its header values are strings built then, so a request only matches
 * its origin and copies them.
 */
import { originAllowed, type OriginMatcher } from "./origins";

export interface CorsPolicy {
  /** The policy's name in `PORTCULLIS.cors`. */
  readonly name: string;
  readonly origins: OriginMatcher;
  /** Methods a preflight may ask for; undefined: the route's methods. */
  readonly methods: readonly string[] | undefined;
  /** Request headers a preflight may ask for, lower-case. */
  readonly headers: readonly string[];
  /** Response headers the page may read, beyond the defaults. */
  readonly exposeHeaders: readonly string[];
  readonly credentials: boolean;
  readonly maxAgeSeconds: number;
}

/** A policy compiled for one route: its methods are the policy's within the route's. */
export interface CorsPlan {
  readonly policy: CorsPolicy;
  readonly methods: ReadonlySet<string>;
  readonly headers: ReadonlySet<string>;
  /** An admitted preflight's headers, but Access-Control-Allow-Origin. */
  readonly preflightHeaders: readonly (readonly [string, string])[];
  /** What every response to an admitted origin carries, but Access-Control-Allow-Origin. */
  readonly responseHeaders: readonly (readonly [string, string])[];
}

/** The CORS-relevant part of a request, read once (src/cors/cors.ts). */
export interface CorsRequest {
  readonly origin: string | undefined;
  /** Set for a preflight (Fetch §3.2): OPTIONS with Origin and Access-Control-Request-Method. */
  readonly preflight: Preflight | undefined;
}

export interface Preflight {
  readonly origin: string;
  readonly method: string;
  /** Access-Control-Request-Headers, lower-case. */
  readonly headers: readonly string[];
}

export type PreflightDecision =
  | { readonly allowed: true; readonly headers: Headers }
  | { readonly allowed: false; readonly refused: "origin" | "method" | "header"; readonly detail: string };

/** What a client needs to read on any answer: quota, retry, request id, challenge. */
const DEFAULT_EXPOSED_HEADERS = ["RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-Id", "WWW-Authenticate"] as const;

/**
 * A preflight's answer depends on all three request headers, so every answer
 * to one, refusals included, says so to caches (Fetch §3.2, "CORS protocol and HTTP caches"; RFC 9110 §12.5.5).
 */
export const PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

export function compilePlan(policy: CorsPolicy, routeMethods: readonly string[]): CorsPlan {
  const methods = policy.methods === undefined ? routeMethods : policy.methods.filter((m) => routeMethods.includes(m));
  const credentials: [string, string][] = policy.credentials ? [["access-control-allow-credentials", "true"]] : [];
  const preflightHeaders: [string, string][] = [["access-control-allow-methods", methods.join(", ")]];
  if (policy.headers.length > 0) preflightHeaders.push(["access-control-allow-headers", policy.headers.join(", ")]);
  preflightHeaders.push(["access-control-max-age", String(policy.maxAgeSeconds)], ...credentials, ["vary", PREFLIGHT_VARY]);
  const exposed: string[] = [...DEFAULT_EXPOSED_HEADERS];
  for (const name of policy.exposeHeaders) {
    if (!exposed.some((e) => e.toLowerCase() === name.toLowerCase())) exposed.push(name);
  }
  return {
    policy,
    methods: new Set(methods),
    headers: new Set(policy.headers),
    preflightHeaders,
    responseHeaders: [...credentials, ["access-control-expose-headers", exposed.join(", ")]],
  };
}

export function readCorsRequest(method: string, headers: Headers): CorsRequest {
  const origin = headers.get("origin") ?? undefined;
  const requestMethod = method === "OPTIONS" ? headers.get("access-control-request-method") : null;
  if (origin === undefined || requestMethod === null) return { origin, preflight: undefined };
  const requested = (headers.get("access-control-request-headers") ?? "").split(",");
  return { origin, preflight: { origin, method: requestMethod, headers: requested.map((h) => h.trim().toLowerCase()).filter((h) => h !== "") } };
}

/** The value of Access-Control-Allow-Origin for `origin`, or undefined: not admitted. */
function allowOrigin(plan: CorsPlan, origin: string | undefined): string | undefined {
  if (plan.policy.origins.any) return "*";
  return origin !== undefined && originAllowed(plan.policy.origins, origin) ? origin : undefined;
}

/**
 * Fetch, "CORS-preflight fetch": a preflight succeeds when the origin, the method and every
 * requested header are allowed. Methods compare case-sensitively, as the
 * browser compares them; header names case-insensitively.
 */
export function decidePreflight(plan: CorsPlan, preflight: Preflight): PreflightDecision {
  const allowed = allowOrigin(plan, preflight.origin);
  if (allowed === undefined) {
    return { allowed: false, refused: "origin", detail: `Cross-origin requests from ${quote(preflight.origin)} are not allowed on this route.` };
  }
  if (!plan.methods.has(preflight.method)) {
    const methods = [...plan.methods].join(", ");
    return { allowed: false, refused: "method", detail: `The method ${quote(preflight.method)} is not allowed in cross-origin requests to this route. Allowed methods: ${methods}.` };
  }
  const refused = preflight.headers.filter((h) => !plan.headers.has(h));
  if (refused.length > 0) {
    const names = refused.map(quote).join(", ");
    const headers = plan.headers.size === 0 ? "none beyond the CORS-safelisted ones" : [...plan.headers].join(", ");
    return { allowed: false, refused: "header", detail: `The request header${refused.length === 1 ? "" : "s"} ${names} ${refused.length === 1 ? "is" : "are"} not allowed in cross-origin requests to this route. Allowed headers: ${headers}.` };
  }
  const headers = new Headers(plan.preflightHeaders);
  headers.set("access-control-allow-origin", allowed);
  return { allowed: true, headers };
}

/**
 * Makes an answer readable by the page, or plainly not: the origin's own
 * Access-Control-* headers are dropped (the gateway owns CORS on this route,
 * and two parties writing them is how mismatched answers happen), then the
 * plan's are set for an admitted origin. An answer that echoes the origin
 * varies by it, for requests without Origin too (Fetch §3.2, "CORS protocol and
 * HTTP caches"); `*` does not.
 */
export function applyCorsHeaders(headers: Headers, plan: CorsPlan, origin: string | undefined): void {
  const own = [...headers.keys()].filter((name) => name.startsWith("access-control-"));
  for (const name of own) headers.delete(name);
  if (!plan.policy.origins.any) mergeVary(headers, "Origin");
  const allowed = allowOrigin(plan, origin);
  if (allowed === undefined) return;
  headers.set("access-control-allow-origin", allowed);
  for (const [name, value] of plan.responseHeaders) headers.set(name, value);
}

/** Adds `name` to Vary unless it, or `*`, is there already (RFC 9110 §12.5.5). */
export function mergeVary(headers: Headers, name: string): void {
  const vary = headers.get("vary");
  if (vary === null || vary.trim() === "") {
    headers.set("vary", name);
    return;
  }
  const listed = vary.split(",").map((v) => v.trim().toLowerCase());
  if (!listed.includes("*") && !listed.includes(name.toLowerCase())) headers.set("vary", `${vary}, ${name}`);
}

function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 97)}...` : value);
}
