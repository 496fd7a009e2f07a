/**
 * What a configuration needs from its Worker's deployment, checked before
 * deploy (`npm run check` reads each environment's bindings from
 * wrangler.toml) — a rate limit without the RateLimiter Durable Object, API
 * keys in KV without the namespace would otherwise only show at runtime — and
 * a summary of what each environment ends up with. Pure.
 */
import type { GatewayConfig, Route } from "./gateway-config";

/** One environment's bindings, as wrangler.toml declares them (wrangler inherits only migrations). */
export interface Deployment {
  readonly durableObjects: readonly { readonly name: string; readonly className: string }[];
  /** Classes created by the migrations, SQLite-backed or not. */
  readonly migratedClasses: readonly { readonly className: string; readonly sqlite: boolean }[];
  readonly kvNamespaces: readonly string[];
}

export const LIMITER_BINDING = "RATE_LIMITER";
export const LIMITER_CLASS = "RateLimiter";

export function deploymentIssues(config: GatewayConfig, deployment: Deployment): string[] {
  const issues: string[] = [];
  const rateLimited = [config.defaultRoute, ...config.routes].some((r) => r.settings.rateLimit.policies.length > 0);
  // Either one calls the RateLimiter objects.
  if (rateLimited || config.authFailures !== undefined) {
    const why = rateLimited ? "routes have rate_limits" : "PORTCULLIS.auth_failures counts failed attempts";
    const binding = deployment.durableObjects.find((b) => b.name === LIMITER_BINDING);
    if (binding === undefined) {
      issues.push(`durable_objects.bindings: ${why}, but this environment binds no ${LIMITER_BINDING}; add [[durable_objects.bindings]] name = "${LIMITER_BINDING}", class_name = "${LIMITER_CLASS}" (bindings are not inherited: each [env.*] needs its own)`);
    } else if (binding.className !== LIMITER_CLASS) {
      issues.push(`durable_objects.bindings: ${LIMITER_BINDING} must bind class_name "${LIMITER_CLASS}", got ${JSON.stringify(binding.className)}`);
    }
    const migrated = deployment.migratedClasses.find((m) => m.className === LIMITER_CLASS);
    if (migrated === undefined) {
      issues.push(`migrations: ${why}, but no [[migrations]] creates the ${LIMITER_CLASS} class; add tag = "v1", new_sqlite_classes = ["${LIMITER_CLASS}"]`);
    } else if (!migrated.sqlite) {
      issues.push(`migrations: ${LIMITER_CLASS} must be created with new_sqlite_classes (it keeps its counts in SQLite storage), not new_classes`);
    }
  }
  const kv = config.auth.kvBinding;
  if (kv !== undefined && !deployment.kvNamespaces.includes(kv)) {
    issues.push(`PORTCULLIS.auth.kv_binding: names ${JSON.stringify(kv)}, but this environment binds no KV namespace by that name; add [[kv_namespaces]] binding = ${JSON.stringify(kv)} (bindings are not inherited)`);
  }
  return issues;
}

/** What an environment ends up with, a few lines for `npm run check`. */
export function describeGateway(config: GatewayConfig): string[] {
  const lines = [`origin ${config.origin?.base ?? "(none: [defaults] names an upstream)"}; unmatched paths: ${config.unmatched === "proxy" ? "proxied with [defaults]" : "404"}`];
  for (const upstream of config.upstreams.values()) lines.push(`upstream ${upstream.name}: ${describeUpstream(upstream)}`);
  for (const route of config.routes) lines.push(`route ${describeRoute(route)}`);
  if (config.unmatched === "proxy") lines.push(`[defaults] ${describeSettings(config.defaultRoute)}`);
  const { auth } = config;
  const consumers = [...new Set([...auth.keys.values()].map((k) => k.consumer))];
  const keys = [`${auth.keys.size} API key(s) in config${consumers.length > 0 ? ` (${consumers.join(", ")})` : ""}`];
  if (auth.kvBinding !== undefined) keys.push(`KV ${auth.kvBinding}`);
  if (auth.jwt !== undefined) keys.push(`JWT ${auth.jwt.algorithms.join("/")} ${auth.jwt.key.kind === "jwks" ? `via ${auth.jwt.key.url}` : `secret ${auth.jwt.key.binding}`}`);
  lines.push(`auth: ${keys.join("; ")}`);
  const policies = [...config.rateLimits.policies.values()].map((p) => `${p.name} ${p.quota}/${p.windowSeconds} s per ${p.keySource}${p.lease > 0 ? `, lease ${p.lease}` : ""}${p.confirmWrites ? ", confirmed writes" : ""}`);
  if (policies.length > 0) lines.push(`rate limits: ${policies.join("; ")}`);
  if (config.authFailures !== undefined) lines.push(`lockout: ${config.authFailures.attempts} failures in ${config.authFailures.windowSeconds} s lock for ${config.authFailures.lockoutSeconds} s`);
  if (config.cors.policies.size > 0) lines.push(`cors policies: ${[...config.cors.policies.keys()].join(", ")}`);
  return lines;
}

function describeUpstream(upstream: GatewayConfig["upstreams"] extends ReadonlyMap<string, infer U> ? U : never): string {
  const { transport } = upstream;
  const via = transport.kind === "fetch" ? "" : ` via ${transport.kind} ${transport.binding}`;
  return `${upstream.urls.map((u) => u.base).join(", ") || "(the bound Worker)"}${via}`;
}

function describeRoute(route: Route): string {
  return `${route.name === route.pattern?.source ? route.name : `${route.name} ${route.pattern?.source ?? ""}`}: ${describeSettings(route)}`;
}

function describeSettings(route: Route): string {
  const s = route.settings;
  const auth = s.auth.mode === "none" ? "public" : `${s.auth.mode}${s.auth.scopes.length > 0 ? ` (${s.auth.scopes.join(" ")})` : ""}`;
  const limits = s.rateLimit.policies.length === 0 ? "unlimited" : s.rateLimit.policies.map((p) => p.name).join("+");
  const upstream = s.upstream.upstream === undefined ? "" : `; upstream ${s.upstream.upstream}`;
  return `${s.methods.join(",")}; ${auth}; ${limits}; body ≤ ${s.maxBodyBytes} B; ${s.timeoutMs} ms${upstream}${s.cors === undefined ? "" : `; cors ${s.cors.policy.name}`}`;
}
