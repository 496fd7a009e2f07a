/**
 * Configuration of authentication (issue #4): the global `auth` table and the
 * per-route keys. Placeholder seam: only `auth = "none"` so far.
 */
import type { Issues } from "./validate";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuthConfig {}

export interface RouteAuthSettings {
  readonly mode: "none";
}

/** Keys a route (and [defaults]) may set for authentication. */
export const AUTH_ROUTE_KEYS: readonly string[] = [];

export function parseAuthConfig(_raw: unknown, _path: string, _issues: Issues): AuthConfig {
  return {};
}

export function parseRouteAuth(
  _table: Record<string, unknown>,
  _path: string,
  _issues: Issues,
  inherited: RouteAuthSettings | undefined,
  _global: AuthConfig,
): RouteAuthSettings {
  return inherited ?? { mode: "none" };
}
