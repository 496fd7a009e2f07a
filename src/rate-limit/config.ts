/**
 * Configuration of rate limiting (issue #5): the named policies in
 * `PORTCULLIS.rate_limits`, the failed-authentication lockout in
 * `PORTCULLIS.auth_failures`, and the keys a route (or `[defaults]`) sets to
 * select policies. docs/rate-limiting.md documents every key.
 */
import { join, readBoolean, readEnum, readPositiveInt, readString, readStringArray, readTable, rejectUnknownKeys, type Issues } from "../config/validate";
import { isToken } from "../http-syntax";
import { policyMembers, type FieldMember } from "./headers";
import type { ObjectPolicy } from "./rate-limiter-object";
import { leaseHoldMs } from "./sliding-window";

/** What a policy counts against: whose quota a request uses. */
export type RateLimitKey =
  | { readonly kind: "consumer" }
  | { readonly kind: "api_key" }
  | { readonly kind: "ip" }
  | { readonly kind: "route" }
  | { readonly kind: "header"; readonly header: string };

/** A named policy as configured: the window policy the object decides by, plus how it is applied. */
export interface RateLimitPolicy extends ObjectPolicy {
  readonly windowSeconds: number;
  readonly key: RateLimitKey;
  /** The key as written ("consumer", "header:X-Tenant"), to compare policies. */
  readonly keySource: string;
  /** Requests an isolate may lease at once for a hot key; 0 = every request asks the object. */
  readonly lease: number;
  /** Hold each decision until its count is durable in storage (slower; see docs/rate-limiting.md, Durability). */
  readonly confirmWrites: boolean;
}

export interface RateLimitConfig {
  readonly policies: ReadonlyMap<string, RateLimitPolicy>;
  /** Policies whose definition is unusable (its mistakes already named): a route listing one gets no second, misleading issue. */
  readonly invalid: ReadonlySet<string>;
}

export interface RouteRateLimitSettings {
  /** The policies the route selects, in the order listed; they share one key. */
  readonly policies: readonly RateLimitPolicy[];
  /** What happens when the limiter cannot answer: proceed unchecked, or 503. */
  readonly failure: "open" | "closed";
  /** Time budget of the one Durable Object call a request may make. */
  readonly timeoutMs: number;
}

/**
 * A route's rate limiting, compiled once: what the object is sent, the
 * RateLimit-Policy members, the lease and its hold. Undefined for a route
 * without policies.
 */
export interface RateLimitPlan extends RouteRateLimitSettings {
  /** What every policy counts against (they share it). */
  readonly key: RateLimitKey;
  /** The policies as the object decides them. */
  readonly objectPolicies: readonly ObjectPolicy[];
  /** The RateLimit-Policy members (draft-ietf-httpapi-ratelimit-headers-10 §3). */
  readonly policyField: readonly FieldMember[];
  /** Lease size for the route's policy set: the smallest `lease`, 0 unless every policy sets one. */
  readonly lease: number;
  /** How long leased units may be held (sliding-window.ts). */
  readonly holdMs: number;
  /** Some policy holds each decision until its count is durable. */
  readonly confirmWrites: boolean;
}

export function compileRateLimit(settings: RouteRateLimitSettings): RateLimitPlan | undefined {
  const first = settings.policies[0];
  if (first === undefined) return undefined;
  const objectPolicies = settings.policies.map(({ name, quota, windowMs, cost }) => ({ name, quota, windowMs, cost }));
  const lease = settings.policies.every((p) => p.lease > 0) ? Math.min(...settings.policies.map((p) => p.lease)) : 0;
  return {
    ...settings,
    key: first.key,
    objectPolicies,
    policyField: policyMembers(settings.policies),
    lease,
    holdMs: leaseHoldMs(objectPolicies),
    confirmWrites: settings.policies.some((p) => p.confirmWrites),
  };
}

export interface AuthFailureSettings {
  /** Failed attempts within `windowSeconds` that lock the client IP or credential. */
  readonly attempts: number;
  readonly windowSeconds: number;
  /** How long a lock lasts. */
  readonly lockoutSeconds: number;
}

/** Keys a route (and [defaults]) may set for rate limiting. */
export const RATE_LIMIT_ROUTE_KEYS = ["rate_limits", "rate_limit_failure", "rate_limit_timeout_ms"] as const;

const RATE_LIMIT_DEFAULTS = {
  // Fail open: the limiter protects the origin, it is not an access control, so a
  // limiter outage must not become an API outage. Sensitive routes choose "closed".
  failure: "open",
  timeout_ms: 500,
  cost: 1,
} as const;

/** The policy name the failed-authentication lockout reports in its headers. */
export const AUTH_FAILURE_POLICY = "auth-failures";

const POLICY_KEYS = ["quota", "window_seconds", "key", "cost", "lease", "confirm_writes"] as const;
const AUTH_FAILURE_KEYS = ["attempts", "window_seconds", "lockout_seconds"] as const;
// Names travel as structured-field Strings (RFC 9651 §3.3.3) and in Durable Object
// storage; a conservative alphabet needs no escaping anywhere.
const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
// RFC 9651 §3.3.1: an sf-integer has at most 15 digits.
const MAX_QUOTA = 999_999_999_999_999;
const MAX_WINDOW_SECONDS = 366 * 24 * 60 * 60;
const MAX_TIMEOUT_MS = 10_000;

export function parseRateLimitConfig(raw: unknown, path: string, issues: Issues): RateLimitConfig {
  const table = readTable(raw, path, issues) ?? {};
  const policies = new Map<string, RateLimitPolicy>();
  const invalid = new Set<string>();
  for (const [name, value] of Object.entries(table)) {
    const where = join(path, name);
    if (!POLICY_NAME.test(name)) {
      issues.push(`${where}: a policy name must be 1 to 64 letters, digits, "_", "-" or "." starting with a letter or digit, got ${JSON.stringify(name)}`);
    } else if (name === AUTH_FAILURE_POLICY) {
      issues.push(`${where}: the name "${AUTH_FAILURE_POLICY}" is reserved for the failed-authentication lockout (PORTCULLIS.auth_failures)`);
    }
    const policy = parsePolicy(name, value, where, issues);
    if (policy !== undefined) policies.set(name, policy);
    else invalid.add(name);
  }
  return { policies, invalid };
}

function parsePolicy(name: string, value: unknown, path: string, issues: Issues): RateLimitPolicy | undefined {
  const table = readTable(value, path, issues);
  if (table === undefined) return undefined;
  rejectUnknownKeys(table, POLICY_KEYS, path, issues);
  const quota = readPositiveInt(table.quota, join(path, "quota"), issues, MAX_QUOTA);
  if (table.quota === undefined) issues.push(`${join(path, "quota")}: required: quota units allowed per window, e.g. 100`);
  const windowSeconds = readPositiveInt(table.window_seconds, join(path, "window_seconds"), issues, MAX_WINDOW_SECONDS);
  if (table.window_seconds === undefined) issues.push(`${join(path, "window_seconds")}: required: the window in whole seconds, e.g. 60`);
  const keySource = readString(table.key, join(path, "key"), issues) ?? "consumer";
  const key = parseKey(keySource, join(path, "key"), issues);
  const cost = readPositiveInt(table.cost, join(path, "cost"), issues) ?? RATE_LIMIT_DEFAULTS.cost;
  const lease = readPositiveInt(table.lease, join(path, "lease"), issues) ?? 0;
  const confirmWrites = readBoolean(table.confirm_writes, join(path, "confirm_writes"), issues) ?? false;
  if (quota === undefined || windowSeconds === undefined || key === undefined) return undefined;
  if (cost > quota) issues.push(`${join(path, "cost")}: must not exceed quota (${quota}): no request could ever be admitted, got ${cost}`);
  if (lease * cost > quota) issues.push(`${join(path, "lease")}: lease × cost must not exceed quota (${quota}), got ${lease} × ${cost}`);
  return { name, quota, windowSeconds, windowMs: windowSeconds * 1000, key, keySource, cost, lease, confirmWrites };
}

function parseKey(source: string, path: string, issues: Issues): RateLimitKey | undefined {
  switch (source) {
    case "consumer":
    case "api_key":
    case "ip":
    case "route":
      return { kind: source };
  }
  if (source.startsWith("header:")) {
    const header = source.slice("header:".length);
    if (isToken(header)) return { kind: "header", header: header.toLowerCase() };
  }
  issues.push(`${path}: expected one of "consumer", "api_key", "ip", "route" or "header:<Name>", got ${JSON.stringify(source)}`);
  return undefined;
}

export function parseRouteRateLimit(
  table: Record<string, unknown>,
  path: string,
  issues: Issues,
  inherited: RouteRateLimitSettings | undefined,
  global: RateLimitConfig,
): RouteRateLimitSettings {
  const policies = parsePolicyList(table.rate_limits, join(path, "rate_limits"), issues, global) ?? inherited?.policies ?? [];
  return {
    policies,
    failure: readEnum(table.rate_limit_failure, join(path, "rate_limit_failure"), issues, ["open", "closed"] as const) ?? inherited?.failure ?? RATE_LIMIT_DEFAULTS.failure,
    timeoutMs: readPositiveInt(table.rate_limit_timeout_ms, join(path, "rate_limit_timeout_ms"), issues, MAX_TIMEOUT_MS) ?? inherited?.timeoutMs ?? RATE_LIMIT_DEFAULTS.timeout_ms,
  };
}

function parsePolicyList(value: unknown, path: string, issues: Issues, global: RateLimitConfig): RateLimitPolicy[] | undefined {
  const names = readStringArray(value, path, issues);
  if (names === undefined) return undefined;
  const policies: RateLimitPolicy[] = [];
  names.forEach((name, i) => {
    const policy = global.policies.get(name);
    if (policy === undefined && global.invalid.has(name)) {
      // Its definition's mistakes are named where it is defined.
    } else if (policy === undefined) {
      const defined = [...global.policies.keys()].map((n) => JSON.stringify(n)).join(", ");
      issues.push(`${path}[${i}]: unknown policy ${JSON.stringify(name)} (${defined === "" ? "PORTCULLIS.rate_limits defines none" : `defined: ${defined}`})`);
    } else if (policies.includes(policy)) {
      issues.push(`${path}[${i}]: policy ${JSON.stringify(name)} is listed twice`);
    } else {
      policies.push(policy);
    }
  });
  // One Durable Object per key holds every policy of that key: policies of one
  // route must share the key, so a request costs at most one object call.
  const first = policies[0];
  for (const other of policies.slice(1)) {
    if (first !== undefined && other.keySource !== first.keySource) {
      issues.push(
        `${path}: policies ${JSON.stringify(first.name)} (key ${JSON.stringify(first.keySource)}) and ${JSON.stringify(other.name)} (key ${JSON.stringify(other.keySource)}) count different keys; the policies of one route must share one key`,
      );
    }
  }
  return policies;
}

export function parseAuthFailures(raw: unknown, path: string, issues: Issues): AuthFailureSettings | undefined {
  const table = readTable(raw, path, issues);
  if (table === undefined) return undefined;
  rejectUnknownKeys(table, AUTH_FAILURE_KEYS, path, issues);
  const attempts = readPositiveInt(table.attempts, join(path, "attempts"), issues, 1_000_000);
  if (table.attempts === undefined) issues.push(`${join(path, "attempts")}: required: failed attempts that lock a client, e.g. 5`);
  const windowSeconds = readPositiveInt(table.window_seconds, join(path, "window_seconds"), issues, MAX_WINDOW_SECONDS);
  if (table.window_seconds === undefined) issues.push(`${join(path, "window_seconds")}: required: the window the attempts are counted in, e.g. 3600`);
  const lockoutSeconds = readPositiveInt(table.lockout_seconds, join(path, "lockout_seconds"), issues, MAX_WINDOW_SECONDS);
  if (attempts === undefined || windowSeconds === undefined) return undefined;
  return { attempts, windowSeconds, lockoutSeconds: lockoutSeconds ?? windowSeconds };
}
