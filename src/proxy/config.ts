/**
 * Configuration of the upstream: `ORIGIN_URL` (the origin's base URL) and a
 * route's `timeout_ms` (README: Configuration reference).
 */
import { join, readHttpUrl, readPositiveInt, type Issues } from "../config/validate";

export const PROXY_ROUTE_KEYS = ["timeout_ms"] as const;
const PROXY_DEFAULTS = { timeout_ms: 30_000 } as const;
const MAX_TIMEOUT_MS = 15 * 60 * 1000;

export interface Origin {
  /** Scheme, host, port and optional base path (no trailing slash): request targets are appended to it. */
  readonly base: string;
  readonly host: string;
}

export function parseOrigin(value: unknown, issues: Issues): Origin | undefined {
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

export function parseRouteTimeout(table: Record<string, unknown>, path: string, issues: Issues, inherited: number | undefined): number {
  return readPositiveInt(table.timeout_ms, join(path, "timeout_ms"), issues, MAX_TIMEOUT_MS) ?? inherited ?? PROXY_DEFAULTS.timeout_ms;
}
