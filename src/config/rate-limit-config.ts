/**
 * Configuration of rate limiting (issue #5): the global `rate_limits` table and the
 * per-route keys. Placeholder seam: no policies so far.
 */
import type { Issues } from "./validate";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RateLimitConfig {}

export interface RouteRateLimitSettings {
  readonly policies: readonly string[];
}

/** Keys a route (and [defaults]) may set for rate limiting. */
export const RATE_LIMIT_ROUTE_KEYS: readonly string[] = [];

export function parseRateLimitConfig(_raw: unknown, _path: string, _issues: Issues): RateLimitConfig {
  return {};
}

export function parseRouteRateLimit(
  _table: Record<string, unknown>,
  _path: string,
  _issues: Issues,
  inherited: RouteRateLimitSettings | undefined,
  _global: RateLimitConfig,
): RouteRateLimitSettings {
  return inherited ?? { policies: [] };
}
