/**
 * The validated configuration becomes an immutable compiled gateway, once per
 * isolate (load.ts): each route holds its matcher, its limits, its
 * authenticator, its lockout, its limiter policies, its upstream and error
 * settings, every header value prebuilt. A request only looks things up in
 * it, and a route pays only for the steps it has a plan for.
 */
import { Authenticator } from "../auth/authenticator";
import type { AuthMode } from "../auth/config";
import type { CredentialSources } from "../auth/credentials";
import { compileForwarding } from "../auth/forwarding";
import type { CorsPlan } from "../cors/policy";
import type { RequestSizeLimits, RouteLimits } from "../limits/config";
import { compileErrors, type ErrorsPlan } from "../normalize/config";
import { compileRateLimit, type RateLimitPlan } from "../rate-limit/config";
import { Lockout } from "../rate-limit/lockout";
import type { CompiledPattern } from "../routing/route-pattern";
import { compileUpstream, defaultUpstream, type Upstream, type UpstreamPlan } from "../upstreams/upstream";
import type { GatewayConfig, Route } from "./gateway-config";

export interface AuthPlan {
  readonly mode: Exclude<AuthMode, "none">;
  /** Every one must be granted (RFC 6749 §3.3). */
  readonly scopes: readonly string[];
  readonly realm: string;
  readonly authenticator: Authenticator;
}

export interface RoutePlan {
  readonly name: string;
  /** Undefined for `[defaults]` as the route of unmatched paths. */
  readonly pattern: CompiledPattern | undefined;
  readonly limits: RouteLimits;
  readonly cors: CorsPlan | undefined;
  /** How the credential is read, where anything on the route reads it (auth, lockout, an `api_key` quota key). */
  readonly credentialSources: CredentialSources | undefined;
  readonly auth: AuthPlan | undefined;
  readonly lockout: Lockout | undefined;
  readonly rateLimit: RateLimitPlan | undefined;
  /** Where and how the request is sent (src/upstreams/upstream.ts). */
  readonly upstream: UpstreamPlan;
  readonly errors: ErrorsPlan;
}

export interface GatewayPlan {
  readonly problemBaseUrl: string;
  readonly requestSize: RequestSizeLimits;
  readonly rejectAmbiguousPaths: boolean;
  readonly routes: readonly RoutePlan[];
  /** `[defaults]`: the route of unmatched paths (with `unmatched = "proxy"`), and the CORS of answers before routing. */
  readonly defaults: RoutePlan;
  readonly unmatched: "proxy" | "not_found";
  /** Some CORS policy exists, so the cors step reads Origin. */
  readonly corsEnabled: boolean;
}

export function compileGateway(config: GatewayConfig): GatewayPlan {
  // One authenticator for every route: the keys, KV stores and JWT caches are the gateway's.
  const authenticator = new Authenticator(config.auth);
  // Each upstream compiled once; the routes that choose it share it.
  const upstreams = new Map<string | undefined, Upstream>();
  if (config.origin !== undefined) upstreams.set(undefined, defaultUpstream(config.origin));
  for (const [name, settings] of config.upstreams) upstreams.set(name, compileUpstream(settings));
  const upstreamOf = (name: string | undefined): Upstream => {
    const upstream = upstreams.get(name);
    // parseGatewayConfig guarantees it: a route names a defined upstream, or ORIGIN_URL is set.
    if (upstream === undefined) throw new Error(`no compiled upstream ${name ?? "ORIGIN_URL"}`);
    return upstream;
  };
  const compileRoute = (route: Route): RoutePlan => {
    const { settings } = route;
    const rateLimit = compileRateLimit(settings.rateLimit);
    const mode = settings.auth.mode;
    const auth: AuthPlan | undefined = mode === "none" ? undefined : { mode, scopes: settings.auth.scopes, realm: config.auth.realm, authenticator };
    const readsCredential = auth !== undefined || rateLimit?.key.kind === "api_key";
    return {
      name: route.name,
      pattern: route.pattern,
      limits: settings,
      cors: settings.cors,
      // A JWT-only route reads no API key: a stray X-API-Key there is neither a credential nor an attempt.
      credentialSources: readsCredential
        ? { apiKeyHeader: config.auth.apiKeyHeader, apiKeyQueryParam: config.auth.apiKeyQueryParam, readsApiKeys: mode !== "jwt" }
        : undefined,
      auth,
      lockout: auth !== undefined && config.authFailures !== undefined ? new Lockout(config.authFailures, settings.rateLimit.timeoutMs) : undefined,
      rateLimit,
      upstream: {
        upstream: upstreamOf(settings.upstream.upstream),
        timeoutMs: settings.timeoutMs,
        forwarding: compileForwarding(config.auth, settings.auth),
        stripSegments: route.stripSegments,
        preserveHost: settings.upstream.preserveHost,
      },
      errors: compileErrors(settings.errors, config.errors),
    };
  };
  return {
    problemBaseUrl: config.problemBaseUrl,
    requestSize: { maxUrlLength: config.maxUrlLength, maxHeaderBytes: config.maxHeaderBytes },
    rejectAmbiguousPaths: config.rejectAmbiguousPaths,
    routes: config.routes.map(compileRoute),
    defaults: compileRoute(config.defaultRoute),
    unmatched: config.unmatched,
    corsEnabled: config.cors.policies.size > 0,
  };
}
