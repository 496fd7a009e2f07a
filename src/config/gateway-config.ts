/**
 * Parses and validates the gateway's configuration: `ORIGIN_URL` and the
 * structured `PORTCULLIS` var(s) from wrangler.toml. Pure: the same function
 * runs in the Worker (once per isolate, see load.ts) and in `npm run check`.
 * This file only assembles: each concern parses its own keys (its config.ts).
 */
import { AUTH_ROUTE_KEYS, parseAuthConfig, parseRouteAuth, type AuthConfig, type RouteAuthSettings } from "../auth/config";
import { CORS_ROUTE_KEYS, parseCorsConfig, parseRouteCors, type CorsConfig } from "../cors/config";
import type { CorsPlan } from "../cors/policy";
import { LIMITS_ROUTE_KEYS, LIMITS_TOP_KEYS, parseRequestSize, parseRouteLimits, type RequestSizeLimits, type RouteLimits } from "../limits/config";
import { ERRORS_ROUTE_KEYS, parseErrorsConfig, parseRouteErrors, type ErrorsConfig, type RouteErrorSettings } from "../normalize/config";
import { DEFAULT_PROBLEM_BASE_URL } from "../problems";
import { PROXY_ROUTE_KEYS, parseRouteTimeout } from "../proxy/config";
import {
  RATE_LIMIT_ROUTE_KEYS,
  parseAuthFailures,
  parseRateLimitConfig,
  parseRouteRateLimit,
  type AuthFailureSettings,
  type RateLimitConfig,
  type RouteRateLimitSettings,
} from "../rate-limit/config";
import { ROUTING_ROUTE_KEYS, ROUTING_TOP_KEYS, parseRouteMatch, parseRouting, shadowedRoutes, type RoutingSettings } from "../routing/config";
import type { CompiledPattern } from "../routing/route-pattern";
import {
  ORIGIN_URL_REQUIRED,
  UPSTREAM_PATTERN_KEYS,
  UPSTREAM_ROUTE_KEYS,
  parseOrigin,
  parseRouteUpstream,
  parseStripPrefix,
  parseUpstreams,
  type Origin,
  type ParsedUpstreams,
  type RouteUpstreamSettings,
  type UpstreamsConfig,
} from "../upstreams/config";
import { configSources, mergeSources } from "./config-sources";
import { readArray, readString, readTable, rejectUnknownKeys, type Issues } from "./validate";

/** Settings every route has; `[defaults]` supplies them, a route may override each. */
export interface RouteSettings extends RouteLimits {
  readonly timeoutMs: number;
  /** Where the route's requests go (ORIGIN_URL unless `upstream` names another) and with which Host. */
  readonly upstream: RouteUpstreamSettings;
  readonly auth: RouteAuthSettings;
  readonly rateLimit: RouteRateLimitSettings;
  readonly errors: RouteErrorSettings;
  /** The route's CORS plan; undefined leaves CORS to the origin. */
  readonly cors: CorsPlan | undefined;
}

export interface Route {
  /** The route's name in logs: its `name`, else its pattern, else "default". */
  readonly name: string;
  readonly pattern: CompiledPattern | undefined;
  /** Leading path segments not sent upstream (`strip_prefix`). */
  readonly stripSegments: number;
  readonly settings: RouteSettings;
}

export interface GatewayConfig extends RoutingSettings, RequestSizeLimits {
  /** ORIGIN_URL: the upstream of routes that name none; absent only when [defaults] names one. */
  readonly origin: Origin | undefined;
  readonly upstreams: UpstreamsConfig;
  readonly problemBaseUrl: string;
  readonly errors: ErrorsConfig;
  readonly auth: AuthConfig;
  readonly rateLimits: RateLimitConfig;
  /** Failed-authentication lockout; absent unless `auth_failures` is set. */
  readonly authFailures: AuthFailureSettings | undefined;
  readonly cors: CorsConfig;
  readonly routes: readonly Route[];
  /** `[defaults]` as a route: what unmatched paths get when `unmatched = "proxy"`. */
  readonly defaultRoute: Route;
}

export type ConfigResult = { ok: true; config: GatewayConfig } | { ok: false; issues: string[] };

const TOP_KEYS = ["extends", "problem_base_url", ...ROUTING_TOP_KEYS, ...LIMITS_TOP_KEYS, "errors", "auth", "rate_limits", "auth_failures", "cors", "upstreams", "defaults", "routes"] as const;
const SETTING_KEYS = [...LIMITS_ROUTE_KEYS, ...PROXY_ROUTE_KEYS, ...UPSTREAM_ROUTE_KEYS, ...ERRORS_ROUTE_KEYS, ...AUTH_ROUTE_KEYS, ...RATE_LIMIT_ROUTE_KEYS, ...CORS_ROUTE_KEYS] as const;
const ROUTE_KEYS = [...ROUTING_ROUTE_KEYS, ...UPSTREAM_PATTERN_KEYS, ...SETTING_KEYS] as const;

/** The Worker's vars: ORIGIN_URL, PORTCULLIS and any PORTCULLIS_<PART> (config-sources.ts). */
export interface RawEnv {
  readonly ORIGIN_URL?: unknown;
  readonly PORTCULLIS?: unknown;
  readonly [name: string]: unknown;
}

interface Globals {
  readonly errors: ErrorsConfig;
  readonly auth: AuthConfig;
  readonly rateLimits: RateLimitConfig;
  readonly cors: CorsConfig;
  readonly upstreams: ParsedUpstreams;
}

export interface ConfigContext {
  /** The top-level `[vars]` of wrangler.toml, for an environment that extends them. */
  readonly topLevel?: () => RawEnv | undefined;
  /**
   * The `vars` of every `[env.*]` in that same wrangler.toml: an environment
   * that extends the top level must be one of them, or the Worker was built
   * from another file and would inherit a configuration it never saw.
   */
  readonly environments?: () => readonly RawEnv[] | undefined;
}

export function parseGatewayConfig(env: RawEnv, context: ConfigContext = {}): ConfigResult {
  const issues: Issues = [];
  const origin = parseOrigin(env.ORIGIN_URL, issues);

  const raw = withInherited(mergeSources(configSources(env), issues), env, context, issues);
  const top = readTable(raw, "PORTCULLIS", issues) ?? {};
  rejectUnknownKeys(top, TOP_KEYS, "PORTCULLIS", issues);

  const problemBaseUrl = readString(top.problem_base_url, "PORTCULLIS.problem_base_url", issues) ?? DEFAULT_PROBLEM_BASE_URL;
  if (!/^[a-z][a-z0-9+.-]*:\S*$/i.test(problemBaseUrl)) {
    issues.push(`PORTCULLIS.problem_base_url: expected an absolute URI such as "https://docs.example.com/problems/", got ${JSON.stringify(problemBaseUrl)}`);
  }
  const routing = parseRouting(top, "PORTCULLIS", issues);
  const requestSize = parseRequestSize(top, "PORTCULLIS", issues);
  const globals: Globals = {
    errors: parseErrorsConfig(top.errors, "PORTCULLIS.errors", issues),
    auth: parseAuthConfig(top.auth, "PORTCULLIS.auth", issues),
    rateLimits: parseRateLimitConfig(top.rate_limits, "PORTCULLIS.rate_limits", issues),
    cors: parseCorsConfig(top.cors, "PORTCULLIS.cors", issues),
    upstreams: parseUpstreams(top.upstreams, "PORTCULLIS.upstreams", issues),
  };
  const authFailures = parseAuthFailures(top.auth_failures, "PORTCULLIS.auth_failures", issues);

  const defaultsTable = readTable(top.defaults, "PORTCULLIS.defaults", issues) ?? {};
  rejectUnknownKeys(defaultsTable, SETTING_KEYS, "PORTCULLIS.defaults", issues);
  const defaults = parseSettings(defaultsTable, "PORTCULLIS.defaults", issues, undefined, globals);
  // ORIGIN_URL is the upstream of every route that names none; [defaults] may name another for all.
  if (env.ORIGIN_URL === undefined && defaults.upstream.upstream === undefined) {
    // ORIGIN_URL is never inherited: an environment that extends is told why it needs its own.
    const extending = isExtending(env);
    issues.unshift(extending ? "ORIGIN_URL: required in an environment that extends the top level: set this environment's own origin" : ORIGIN_URL_REQUIRED);
  }

  const routes: Route[] = [];
  const patterns: (string | undefined)[] = [];
  const rawRoutes = readArray(top.routes, "PORTCULLIS.routes", issues) ?? [];
  rawRoutes.forEach((rawRoute, i) => {
    const path = `PORTCULLIS.routes[${i}]`;
    const table = readTable(rawRoute, path, issues);
    patterns.push(undefined);
    if (table === undefined) return;
    rejectUnknownKeys(table, ROUTE_KEYS, path, issues);
    const { name, pattern } = parseRouteMatch(table, path, i, issues);
    patterns[i] = pattern?.source;
    const stripSegments = parseStripPrefix(table, path, issues, pattern);
    routes.push({ name, pattern, stripSegments, settings: parseSettings(table, path, issues, defaults, globals) });
  });
  shadowedRoutes(patterns, issues);

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    config: {
      origin,
      problemBaseUrl,
      ...routing,
      ...requestSize,
      ...globals,
      upstreams: globals.upstreams.upstreams,
      authFailures,
      routes,
      defaultRoute: { name: "default", pattern: undefined, stripSegments: 0, settings: defaults },
    },
  };
}

/**
 * `extends = "top-level"`: an environment starts from the top-level `[vars]`
 * configuration, and each top-level key it sets itself replaces that key
 * whole (its `auth` replaces the shared `auth`, keys and all; its `routes`
 * replace the shared routes). Only the PORTCULLIS tables are inherited:
 * `ORIGIN_URL` is always the environment's own. So the common case — the
 * same routes, another origin and other keys — is `ORIGIN_URL` and an `auth`
 * table.
 */
function withInherited(own: Record<string, unknown>, env: RawEnv, context: ConfigContext, issues: Issues): Record<string, unknown> {
  const { extends: parent, ...rest } = own;
  if (parent === undefined) return own;
  if (parent !== "top-level") {
    issues.push(`PORTCULLIS.extends: expected "top-level" (the [vars] at the top of wrangler.toml), got ${JSON.stringify(parent)}`);
    return rest;
  }
  const base = context.topLevel?.();
  if (base === undefined) {
    issues.push('PORTCULLIS.extends: the top-level [vars] of wrangler.toml are not available to this Worker; build it with wrangler from the project\'s wrangler.toml');
    return rest;
  }
  const bundled = context.environments?.();
  if (bundled !== undefined && !bundled.some((vars) => sameTable(mergeSources(configSources(vars), []), own))) {
    issues.push("PORTCULLIS.extends: this environment is not in the wrangler.toml the Worker bundles (the project's wrangler.toml, beside src/), so the top-level [vars] it would inherit are not its file's; use extends in the project's wrangler.toml, or give this environment its whole PORTCULLIS table");
    return rest;
  }
  const baseIssues: Issues = [];
  const inherited = mergeSources(configSources(base), baseIssues);
  for (const issue of baseIssues) issues.push(`[vars] ${issue}`);
  if (inherited.extends !== undefined) issues.push('[vars] PORTCULLIS.extends: the top level cannot extend anything');
  const merged: Record<string, unknown> = {};
  for (const [key, value] of [...Object.entries(inherited), ...Object.entries(rest)]) {
    if (key !== "extends") Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

function isExtending(env: RawEnv): boolean {
  return configSources(env).some((source) => typeof source.value === "object" && source.value !== null && (source.value as Record<string, unknown>).extends !== undefined);
}

/** Equal as JSON values, whatever the key order. */
function sameTable(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const entries = Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  // A TOML date-time reaches the Worker as a string, in whatever form the tool that read the TOML wrote it.
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value))) return `date:${Date.parse(value)}`;
  return JSON.stringify(value) ?? "null";
}

function parseSettings(table: Record<string, unknown>, path: string, issues: Issues, inherited: RouteSettings | undefined, globals: Globals): RouteSettings {
  const limits = parseRouteLimits(table, path, issues, inherited);
  const upstream = parseRouteUpstream(table, path, issues, inherited?.upstream, globals.upstreams);
  const upstreamTimeout = upstream.upstream === undefined ? undefined : globals.upstreams.upstreams.get(upstream.upstream)?.timeoutMs;
  return {
    ...limits,
    timeoutMs: parseRouteTimeout(table, path, issues, upstreamTimeout, inherited?.timeoutMs),
    upstream,
    errors: parseRouteErrors(table, path, issues, inherited?.errors, globals.errors),
    auth: parseRouteAuth(table, path, issues, inherited?.auth, globals.auth),
    rateLimit: parseRouteRateLimit(table, path, issues, inherited?.rateLimit, globals.rateLimits),
    cors: parseRouteCors(table.cors, path, issues, inherited?.cors, globals.cors, limits.methods),
  };
}
