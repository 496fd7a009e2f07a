/**
 * Configuration of upstreams (docs/upstreams.md): `ORIGIN_URL`, the default
 * upstream; the named ones under `PORTCULLIS.upstreams.NAME`; and the route
 * keys `upstream`, `preserve_host` and `strip_prefix`.
 */
import { fail, join, readArray, readBoolean, readHttpUrl, readNonNegativeInt, readPositiveInt, readString, readTable, rejectUnknownKeys, type Issues } from "../config/validate";
import { MAX_TIMEOUT_MS } from "../proxy/config";
import type { CompiledPattern } from "../routing/route-pattern";

export const UPSTREAM_ROUTE_KEYS = ["upstream", "preserve_host"] as const;
/** Route-only keys: they name segments of the route's own pattern, so [defaults] cannot set them. */
export const UPSTREAM_PATTERN_KEYS = ["strip_prefix"] as const;

const UPSTREAM_KEYS = ["url", "urls", "service", "mtls_certificate", "timeout_ms", "retry_on", "breaker_failures", "breaker_cooldown_seconds"] as const;
const BREAKER_DEFAULTS = { failures: 5, cooldownSeconds: 30 } as const;
const MAX_COOLDOWN_SECONDS = 3600;
const MAX_URLS = 16;
// wrangler binding names are JavaScript identifiers: env.BILLING.
const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A base URL: scheme, host, port and optional base path (no trailing slash); request targets are appended to it. */
export interface Origin {
  readonly base: string;
  /** `http:` or `https:`. */
  readonly protocol: string;
  readonly host: string;
  /** The base path alone ("" or "/v1"). */
  readonly path: string;
}

/** How requests reach an upstream: the Worker's own fetch, or a binding's. */
export type Transport =
  | { readonly kind: "fetch" }
  /** `[[services]]`: another Worker, `env[binding].fetch(request)`. */
  | { readonly kind: "service"; readonly binding: string }
  /** `[[mtls_certificates]]`: fetch presenting a client certificate, `env[binding].fetch(url)`. */
  | { readonly kind: "mtls_certificate"; readonly binding: string };

export interface BreakerSettings {
  /** Consecutive failures of one URL that open its breaker. */
  readonly failures: number;
  readonly cooldownMs: number;
}

export interface UpstreamSettings {
  readonly name: string;
  readonly transport: Transport;
  /** In failover order. Empty only for a service without `url` (its Worker sees the client's URL). */
  readonly urls: readonly Origin[];
  readonly timeoutMs: number | undefined;
  /** Statuses after which an idempotent request goes to the next URL. */
  readonly retryOn: readonly number[];
  /** Undefined: no breaker (`breaker_failures = 0`, and service upstreams unless set). */
  readonly breaker: BreakerSettings | undefined;
}

export type UpstreamsConfig = ReadonlyMap<string, UpstreamSettings>;

/** What a route (or [defaults]) chooses; inherited key by key. */
export interface RouteUpstreamSettings {
  /** Undefined: ORIGIN_URL. */
  readonly upstream: string | undefined;
  /** The upstream sees the client's Host instead of its own (service upstreams). */
  readonly preserveHost: boolean;
}

/** ORIGIN_URL: absent is no issue here; the caller knows whether [defaults] names another upstream. */
export function parseOrigin(value: unknown, issues: Issues): Origin | undefined {
  if (value === undefined) return undefined;
  return readBaseUrl(value, "ORIGIN_URL", issues);
}

export const ORIGIN_URL_REQUIRED = 'ORIGIN_URL: required unless [defaults] sets upstream: the origin API\'s base URL, e.g. "https://api.example.com"';

function readBaseUrl(value: unknown, path: string, issues: Issues): Origin | undefined {
  const url = readHttpUrl(value, path, issues);
  if (url === undefined) return undefined;
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    issues.push(`${path}: must not contain a query, fragment or credentials, got ${JSON.stringify(value)}`);
    return undefined;
  }
  // Keep the base path (e.g. /v1) without its trailing slash: request paths start with "/".
  const basePath = url.pathname.replace(/\/+$/, "");
  return { base: `${url.origin}${basePath}`, protocol: url.protocol, host: url.host, path: basePath };
}

export interface ParsedUpstreams {
  readonly upstreams: UpstreamsConfig;
  /** Every name defined, valid or not: a route naming an invalid one is not a second mistake. */
  readonly declared: ReadonlySet<string>;
}

export function parseUpstreams(raw: unknown, path: string, issues: Issues): ParsedUpstreams {
  const table = readTable(raw, path, issues) ?? {};
  const upstreams = new Map<string, UpstreamSettings>();
  for (const [name, value] of Object.entries(table)) {
    const parsed = parseUpstream(name, value, join(path, name), issues);
    if (parsed !== undefined) upstreams.set(name, parsed);
  }
  return { upstreams, declared: new Set(Object.keys(table)) };
}

function parseUpstream(name: string, raw: unknown, path: string, issues: Issues): UpstreamSettings | undefined {
  const table = readTable(raw, path, issues);
  if (table === undefined) return undefined;
  rejectUnknownKeys(table, UPSTREAM_KEYS, path, issues);
  const transport = readTransport(table, path, issues);
  const urls = readUrls(table, path, issues);
  if (transport === undefined || urls === undefined) return undefined;

  if (transport.kind === "fetch" && urls.length === 0) issues.push(`${path}: required: url, urls or service (a [[services]] binding)`);
  if (transport.kind === "mtls_certificate" && urls.length === 0) {
    issues.push(`${join(path, "mtls_certificate")}: needs url or urls: the origin the certificate is presented to`);
  }
  if (transport.kind === "service" && urls.length > 1) {
    issues.push(`${join(path, "urls")}: a service binding is one Worker: give it at most one url (the URL it sees)`);
  }
  const retryOn = readRetryOn(table.retry_on, join(path, "retry_on"), issues) ?? [];
  if (retryOn.length > 0 && urls.length < 2) {
    issues.push(`${join(path, "retry_on")}: needs several urls: a retry goes to the next URL, and this upstream has ${urls.length === 0 ? "none" : "one"}`);
  }
  const failures = readNonNegativeInt(table.breaker_failures, join(path, "breaker_failures"), issues) ??
    (transport.kind === "service" ? 0 : BREAKER_DEFAULTS.failures);
  const cooldownSeconds = readPositiveInt(table.breaker_cooldown_seconds, join(path, "breaker_cooldown_seconds"), issues, MAX_COOLDOWN_SECONDS) ??
    BREAKER_DEFAULTS.cooldownSeconds;
  return {
    name,
    transport,
    urls,
    timeoutMs: readPositiveInt(table.timeout_ms, join(path, "timeout_ms"), issues, MAX_TIMEOUT_MS),
    retryOn,
    breaker: failures === 0 ? undefined : { failures, cooldownMs: cooldownSeconds * 1000 },
  };
}

function readTransport(table: Record<string, unknown>, path: string, issues: Issues): Transport | undefined {
  const service = readBinding(table.service, join(path, "service"), issues, "BILLING");
  const mtls = readBinding(table.mtls_certificate, join(path, "mtls_certificate"), issues, "PARTNER_CERT");
  if (service === null || mtls === null) return undefined;
  if (service !== undefined && mtls !== undefined) {
    issues.push(`${path}: set either service or mtls_certificate, not both`);
    return undefined;
  }
  if (service !== undefined) return { kind: "service", binding: service };
  if (mtls !== undefined) return { kind: "mtls_certificate", binding: mtls };
  return { kind: "fetch" };
}

/** null: present but invalid (already an issue). */
function readBinding(value: unknown, path: string, issues: Issues, example: string): string | undefined | null {
  if (value === undefined) return undefined;
  const name = readString(value, path, issues);
  if (name === undefined) return null;
  if (!BINDING_NAME.test(name)) return fail(issues, path, `a binding name from wrangler.toml such as "${example}"`, name) ?? null;
  return name;
}

function readUrls(table: Record<string, unknown>, path: string, issues: Issues): Origin[] | undefined {
  if (table.url !== undefined && table.urls !== undefined) {
    issues.push(`${path}: set either url or urls, not both`);
    return undefined;
  }
  if (table.url !== undefined) {
    const origin = readBaseUrl(table.url, join(path, "url"), issues);
    return origin === undefined ? undefined : [origin];
  }
  const items = readArray(table.urls, join(path, "urls"), issues);
  if (items === undefined) return table.urls === undefined ? [] : undefined;
  if (items.length === 0) return fail(issues, join(path, "urls"), "at least one URL", items);
  if (items.length > MAX_URLS) {
    issues.push(`${join(path, "urls")}: at most ${MAX_URLS} URLs, got ${items.length}`);
    return undefined;
  }
  const urls: Origin[] = [];
  let valid = true;
  items.forEach((item, i) => {
    const origin = readBaseUrl(item, `${join(path, "urls")}[${i}]`, issues);
    if (origin === undefined) valid = false;
    else if (urls.some((u) => u.base === origin.base)) {
      issues.push(`${join(path, "urls")}[${i}]: ${JSON.stringify(origin.base)} is listed twice`);
      valid = false;
    } else urls.push(origin);
  });
  return valid ? urls : undefined;
}

function readRetryOn(value: unknown, path: string, issues: Issues): number[] | undefined {
  const items = readArray(value, path, issues);
  if (items === undefined) return undefined;
  const statuses: number[] = [];
  items.forEach((item, i) => {
    // A status the URL answers when it, not the request, is at fault.
    if (typeof item !== "number" || !Number.isInteger(item) || item < 500 || item > 599) fail(issues, `${path}[${i}]`, "a status from 500 to 599", item);
    else statuses.push(item);
  });
  return statuses;
}

/** `upstream` and `preserve_host`, inherited from [defaults]. */
export function parseRouteUpstream(
  table: Record<string, unknown>,
  path: string,
  issues: Issues,
  inherited: RouteUpstreamSettings | undefined,
  { upstreams, declared }: ParsedUpstreams,
): RouteUpstreamSettings {
  let upstream = inherited?.upstream;
  const name = readString(table.upstream, join(path, "upstream"), issues);
  if (name !== undefined) {
    if (declared.has(name)) upstream = name;
    else issues.push(`${join(path, "upstream")}: no upstream named ${JSON.stringify(name)}${definedNames(declared)}`);
  }
  const preserveHost = readBoolean(table.preserve_host, join(path, "preserve_host"), issues) ?? inherited?.preserveHost ?? false;
  const settings = upstream === undefined ? undefined : upstreams.get(upstream);
  if (preserveHost && settings?.transport.kind !== "service" && (table.preserve_host !== undefined || table.upstream !== undefined)) {
    // Cloudflare: a Worker's fetch to a URL always sends that URL's host (origins behind Cloudflare check it).
    issues.push(
      `${join(path, "preserve_host")}: only a service upstream can see the client's Host; ${settings === undefined ? "ORIGIN_URL" : JSON.stringify(settings.name)} is reached by URL, ` +
        "and a Worker's fetch always sends the URL's host (the origin finds the client's in X-Forwarded-Host and Forwarded)",
    );
  }
  return { upstream, preserveHost };
}

function definedNames(declared: ReadonlySet<string>): string {
  return declared.size === 0 ? " (PORTCULLIS.upstreams defines none)" : `; defined: ${[...declared].join(", ")}`;
}

/**
 * `strip_prefix`: leading segments of the route's own pattern, taken off the
 * target before it is appended to the upstream's base. Returns how many
 * segments to take (0: none).
 */
export function parseStripPrefix(table: Record<string, unknown>, path: string, issues: Issues, pattern: CompiledPattern | undefined): number {
  const where = join(path, "strip_prefix");
  const prefix = readString(table.strip_prefix, where, issues);
  if (prefix === undefined || pattern === undefined) return 0;
  if (!/^(\/[^/]+)+$/.test(prefix)) return fail(issues, where, 'a path prefix such as "/billing" (no trailing slash)', prefix) ?? 0;
  const segments = prefix.split("/").slice(1);
  const body = pattern.source.endsWith("/*") ? pattern.source.slice(0, -2) : pattern.source;
  const leading = body.split("/").slice(1, segments.length + 1);
  // Routes match case-insensitively, so the path's spelling of these segments may differ; their number may not.
  const matches = leading.length === segments.length && segments.every((s, i) => s.toLowerCase() === leading[i]?.toLowerCase());
  if (!matches) {
    issues.push(`${where}: must be leading segments of the route's pattern ${JSON.stringify(pattern.source)}, got ${JSON.stringify(prefix)}`);
    return 0;
  }
  return segments.length;
}

/** The bindings an environment of wrangler.toml declares (they are not inherited from the top level). */
export interface DeclaredBindings {
  readonly services: readonly string[];
  readonly mtlsCertificates: readonly string[];
}

/** For `npm run check`: every upstream binding the environment does not declare. */
export function upstreamBindingIssues(upstreams: UpstreamsConfig, declared: DeclaredBindings, where: string): string[] {
  const issues: string[] = [];
  for (const upstream of upstreams.values()) {
    const { transport } = upstream;
    if (transport.kind === "fetch") continue;
    const [list, section] = transport.kind === "service" ? [declared.services, "services"] : [declared.mtlsCertificates, "mtls_certificates"];
    if (list.includes(transport.binding)) continue;
    const table = where === "" ? `[[${section}]]` : `[[${where}.${section}]]`;
    issues.push(`PORTCULLIS.upstreams.${upstream.name}.${transport.kind}: no binding ${JSON.stringify(transport.binding)} in ${table} of wrangler.toml`);
  }
  return issues;
}
