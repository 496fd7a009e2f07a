/**
 * Parses and validates the gateway's configuration: `ORIGIN_URL` and the
 * structured `PORTCULLIS` var from wrangler.toml. Pure: the same function runs
 * in the Worker (once per isolate, see load-config.ts) and in `npm run check`.
 */
import { compilePattern, patternProblem, type CompiledPattern } from "../routing/route-pattern";
import { isValidMediaRange, parseMediaType, type MediaRange } from "../media-type";
import { DEFAULT_PROBLEM_BASE_URL } from "../problems";
import { configSources, mergeSources } from "./config-sources";
import { ERRORS_ROUTE_KEYS, parseErrorsConfig, parseRouteErrors, type ErrorsConfig, type RouteErrorSettings } from "./errors-config";
import { CORS_ROUTE_KEYS, parseCorsConfig, parseRouteCors, type CorsConfig } from "../cors/config";
import type { CorsPlan } from "../cors/policy";
import { AUTH_ROUTE_KEYS, parseAuthConfig, parseRouteAuth, type AuthConfig, type RouteAuthSettings } from "./auth-config";
import {
  RATE_LIMIT_ROUTE_KEYS,
  parseAuthFailures,
  parseRateLimitConfig,
  type AuthFailureSettings,
  parseRouteRateLimit,
  type RateLimitConfig,
  type RouteRateLimitSettings,
} from "./rate-limit-config";
import {
  join,
  readArray,
  readBoolean,
  readEnum,
  readHttpUrl,
  readPositiveInt,
  readString,
  readStringArray,
  readTable,
  rejectUnknownKeys,
  type Issues,
} from "./validate";

/** Settings every route has; `[defaults]` supplies them, a route may override each. */
export interface RouteSettings {
  /** Upper-case method names; HEAD is implied by GET (RFC 9110 §9.3.2). */
  readonly methods: readonly string[];
  readonly maxBodyBytes: number;
  /** Accepted request media ranges as written; empty means any. */
  readonly accept: readonly string[];
  readonly acceptRanges: readonly MediaRange[];
  readonly timeoutMs: number;
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
  readonly settings: RouteSettings;
}

export interface GatewayConfig {
  /** Origin base URL: scheme, host, port and optional base path (no trailing slash). */
  readonly origin: { readonly base: string; readonly host: string };
  readonly problemBaseUrl: string;
  readonly unmatched: "proxy" | "not_found";
  readonly maxUrlLength: number;
  readonly maxHeaderBytes: number;
  /** Refuse paths servers read differently (src/routing/canonical-path.ts). */
  readonly rejectAmbiguousPaths: boolean;
  readonly errors: ErrorsConfig;
  readonly auth: AuthConfig;
  readonly rateLimits: RateLimitConfig;
  /** Failed-authentication lockout; absent unless `auth_failures` is set. */
  readonly authFailures: AuthFailureSettings | undefined;
  readonly cors: CorsConfig;
  readonly routes: readonly Route[];
  /** What unmatched paths get when `unmatched = "proxy"`. */
  readonly defaultRoute: Route;
}

export type ConfigResult = { ok: true; config: GatewayConfig } | { ok: false; issues: string[] };

export const ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export const BUILT_IN_DEFAULTS = {
  methods: ALL_METHODS,
  max_body_bytes: 10 * 1024 * 1024,
  accept: [] as string[],
  timeout_ms: 30_000,
  max_url_length: 8192,
  max_header_bytes: 32 * 1024,
} as const;

const TOP_KEYS = ["problem_base_url", "unmatched", "max_url_length", "max_header_bytes", "reject_ambiguous_paths", "errors", "auth", "rate_limits", "auth_failures", "cors", "defaults", "routes"] as const;
const SETTING_KEYS = ["methods", "max_body_bytes", "accept", "timeout_ms", ...ERRORS_ROUTE_KEYS, ...AUTH_ROUTE_KEYS, ...RATE_LIMIT_ROUTE_KEYS, ...CORS_ROUTE_KEYS] as const;
const ROUTE_KEYS = ["pattern", "name", ...SETTING_KEYS] as const;
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_TIMEOUT_MS = 15 * 60 * 1000;

/** The Worker's vars: ORIGIN_URL, PORTCULLIS and any PORTCULLIS_<PART> (config-sources.ts). */
export interface RawEnv {
  readonly ORIGIN_URL?: unknown;
  readonly PORTCULLIS?: unknown;
  readonly [name: string]: unknown;
}

export function parseGatewayConfig(env: RawEnv): ConfigResult {
  const issues: Issues = [];
  const origin = parseOrigin(env.ORIGIN_URL, issues);

  const raw = mergeSources(configSources(env), issues);
  const top = readTable(raw, "PORTCULLIS", issues) ?? {};
  rejectUnknownKeys(top, TOP_KEYS, "PORTCULLIS", issues);

  const problemBaseUrl = readString(top.problem_base_url, "PORTCULLIS.problem_base_url", issues) ?? DEFAULT_PROBLEM_BASE_URL;
  if (!/^[a-z][a-z0-9+.-]*:\S*$/i.test(problemBaseUrl)) {
    issues.push(`PORTCULLIS.problem_base_url: expected an absolute URI such as "https://docs.example.com/problems/", got ${JSON.stringify(problemBaseUrl)}`);
  }
  const unmatched = readEnum(top.unmatched, "PORTCULLIS.unmatched", issues, ["proxy", "not_found"] as const) ?? "proxy";
  const maxUrlLength = readPositiveInt(top.max_url_length, "PORTCULLIS.max_url_length", issues) ?? BUILT_IN_DEFAULTS.max_url_length;
  const maxHeaderBytes = readPositiveInt(top.max_header_bytes, "PORTCULLIS.max_header_bytes", issues) ?? BUILT_IN_DEFAULTS.max_header_bytes;

  const globals: Globals = {
    errors: parseErrorsConfig(top.errors, "PORTCULLIS.errors", issues),
    auth: parseAuthConfig(top.auth, "PORTCULLIS.auth", issues),
    rateLimits: parseRateLimitConfig(top.rate_limits, "PORTCULLIS.rate_limits", issues),
    authFailures: parseAuthFailures(top.auth_failures, "PORTCULLIS.auth_failures", issues),
    cors: parseCorsConfig(top.cors, "PORTCULLIS.cors", issues),
  };

  const rejectAmbiguousPaths = readBoolean(top.reject_ambiguous_paths, "PORTCULLIS.reject_ambiguous_paths", issues) ?? true;

  const defaultsTable = readTable(top.defaults, "PORTCULLIS.defaults", issues) ?? {};
  rejectUnknownKeys(defaultsTable, SETTING_KEYS, "PORTCULLIS.defaults", issues);
  const defaults = parseSettings(defaultsTable, "PORTCULLIS.defaults", issues, undefined, globals);

  const routes: Route[] = [];
  const rawRoutes = readArray(top.routes, "PORTCULLIS.routes", issues) ?? [];
  rawRoutes.forEach((rawRoute, i) => {
    const path = `PORTCULLIS.routes[${i}]`;
    const table = readTable(rawRoute, path, issues);
    if (table === undefined) return;
    rejectUnknownKeys(table, ROUTE_KEYS, path, issues);
    const source = readString(table.pattern, join(path, "pattern"), issues);
    if (source === undefined && table.pattern === undefined) issues.push(`${join(path, "pattern")}: required, e.g. "/users/:id" or "/scim/v2/*"`);
    let pattern: CompiledPattern | undefined;
    if (source !== undefined) {
      const problem = patternProblem(source);
      if (problem !== undefined) issues.push(`${join(path, "pattern")}: ${problem}, got ${JSON.stringify(source)}`);
      else pattern = compilePattern(source);
    }
    const name = readString(table.name, join(path, "name"), issues) ?? source ?? `routes[${i}]`;
    routes.push({ name, pattern, settings: parseSettings(table, path, issues, defaults, globals) });
  });

  if (issues.length > 0 || origin === undefined) return { ok: false, issues };
  return {
    ok: true,
    config: {
      origin,
      problemBaseUrl,
      unmatched,
      maxUrlLength,
      maxHeaderBytes,
      rejectAmbiguousPaths,
      ...globals,
      routes,
      defaultRoute: { name: "default", pattern: undefined, settings: defaults },
    },
  };
}

function parseOrigin(value: unknown, issues: Issues): GatewayConfig["origin"] | undefined {
  if (value === undefined) {
    issues.push('ORIGIN_URL: required: the origin API\'s base URL, e.g. "https://api.example.com"');
    return undefined;
  }
  const url = readHttpUrl(value, "ORIGIN_URL", issues);
  if (url === undefined) return undefined;
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    issues.push(`ORIGIN_URL: must not contain a query, fragment or credentials, got ${JSON.stringify(value)}`);
    return undefined;
  }
  // Keep the base path (e.g. /v1) without its trailing slash: request paths start with "/".
  return { base: `${url.origin}${url.pathname.replace(/\/+$/, "")}`, host: url.host };
}

interface Globals {
  readonly errors: ErrorsConfig;
  readonly auth: AuthConfig;
  readonly rateLimits: RateLimitConfig;
  readonly authFailures: AuthFailureSettings | undefined;
  readonly cors: CorsConfig;
}

function parseSettings(table: Record<string, unknown>, path: string, issues: Issues, inherited: RouteSettings | undefined, globals: Globals): RouteSettings {
  let methods: readonly string[] | undefined;
  const rawMethods = readStringArray(table.methods, join(path, "methods"), issues);
  if (rawMethods !== undefined) {
    const upper = rawMethods.map((m) => m.toUpperCase());
    rawMethods.forEach((m, i) => {
      if (!METHOD.test(m)) issues.push(`${join(path, "methods")}[${i}]: expected an HTTP method such as "GET", got ${JSON.stringify(m)}`);
    });
    if (rawMethods.length === 0) issues.push(`${join(path, "methods")}: expected at least one method`);
    // RFC 9110 §9.3.2: a server that answers GET should answer HEAD the same way.
    if (upper.includes("GET") && !upper.includes("HEAD")) upper.push("HEAD");
    methods = [...new Set(upper)];
  }

  let accept: readonly string[] | undefined;
  const rawAccept = readStringArray(table.accept, join(path, "accept"), issues);
  if (rawAccept !== undefined) {
    rawAccept.forEach((range, i) => {
      if (!isValidMediaRange(range)) {
        issues.push(`${join(path, "accept")}[${i}]: expected a media range such as "application/json", "application/*+json" or "*/*", got ${JSON.stringify(range)}`);
      }
    });
    accept = rawAccept.map((r) => r.toLowerCase());
  }
  const finalAccept = accept ?? inherited?.accept ?? BUILT_IN_DEFAULTS.accept;
  const finalMethods = methods ?? inherited?.methods ?? BUILT_IN_DEFAULTS.methods;

  return {
    methods: finalMethods,
    maxBodyBytes: readPositiveInt(table.max_body_bytes, join(path, "max_body_bytes"), issues) ?? inherited?.maxBodyBytes ?? BUILT_IN_DEFAULTS.max_body_bytes,
    accept: finalAccept,
    acceptRanges: finalAccept.flatMap((r) => parseMediaType(r) ?? []),
    timeoutMs: readPositiveInt(table.timeout_ms, join(path, "timeout_ms"), issues, MAX_TIMEOUT_MS) ?? inherited?.timeoutMs ?? BUILT_IN_DEFAULTS.timeout_ms,
    errors: parseRouteErrors(table, path, issues, inherited?.errors, globals.errors),
    auth: parseRouteAuth(table, path, issues, inherited?.auth, globals.auth),
    rateLimit: parseRouteRateLimit(table, path, issues, inherited?.rateLimit, globals.rateLimits),
    cors: parseRouteCors(table.cors, path, issues, inherited?.cors, globals.cors, finalMethods),
  };
}

/** First route whose pattern matches, in the order they are listed. */
export function matchRoute(config: GatewayConfig, path: string): Route | undefined {
  for (const route of config.routes) {
    if (route.pattern?.match(path) !== undefined) return route;
  }
  return config.unmatched === "proxy" ? config.defaultRoute : undefined;
}
