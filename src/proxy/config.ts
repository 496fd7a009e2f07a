/**
 * Configuration of the proxy: a route's `timeout_ms` (README: Configuration
 * reference). Where requests go (ORIGIN_URL, named upstreams) is src/upstreams.
 */
import { join, readPositiveInt, type Issues } from "../config/validate";

export const PROXY_ROUTE_KEYS = ["timeout_ms"] as const;
const PROXY_DEFAULTS = { timeout_ms: 30_000 } as const;
export const MAX_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * The route's own `timeout_ms`, else its upstream's, else the inherited one
 * ([defaults]'), else 30 s: an upstream knows its own pace better than
 * [defaults] does, a route better than both.
 */
export function parseRouteTimeout(table: Record<string, unknown>, path: string, issues: Issues, upstream: number | undefined, inherited: number | undefined): number {
  return readPositiveInt(table.timeout_ms, join(path, "timeout_ms"), issues, MAX_TIMEOUT_MS) ?? upstream ?? inherited ?? PROXY_DEFAULTS.timeout_ms;
}
