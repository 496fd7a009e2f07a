/**
 * Which quota a request uses: the rate-limit key, from the policy's `key`
 * setting and the request. The key names the Durable Object that holds the
 * quota, so it never contains a raw credential or an unbounded client string:
 * those are hashed.
 */
import { readCredentials } from "../auth/credentials";
import type { AuthConfig, AuthMode } from "../config/auth-config";
import type { RateLimitKey } from "../config/rate-limit-config";
import type { Identity } from "../context";
import { sha256Hex } from "../digest";

export interface KeySource {
  readonly identity: Identity | undefined;
  readonly headers: Headers;
  readonly routeName: string;
  /** The credential the request presents (API key or bearer token), if any. */
  readonly credential: string | undefined;
}

export interface DerivedKey {
  /** The Durable Object name, e.g. "consumer:acme" or "ip:203.0.113.7". */
  readonly id: string;
  /** The kind actually used, after any fallback (for the log line). */
  readonly kind: string;
}

/**
 * A key whose input is missing falls back to the client IP: "consumer" on a
 * request with no identity (a public route), "api_key" with no credential,
 * "header:<Name>" without that header. The request is then limited as the
 * client it comes from, never left unlimited.
 */
export async function deriveKey(key: RateLimitKey, source: KeySource): Promise<DerivedKey> {
  switch (key.kind) {
    case "route":
      return { id: `route:${source.routeName}`, kind: "route" };
    case "consumer":
      if (source.identity !== undefined) return { id: `consumer:${source.identity.consumer}`, kind: "consumer" };
      break;
    case "api_key":
      if (source.credential !== undefined) return { id: `api_key:${await sha256Hex(source.credential)}`, kind: "api_key" };
      break;
    case "header": {
      const value = source.headers.get(key.header);
      if (value !== null) return { id: `header:${key.header}:${await sha256Hex(value)}`, kind: `header:${key.header}` };
      break;
    }
    case "ip":
      break;
  }
  const ip = clientIp(source.headers);
  const kind = key.kind === "ip" ? "ip" : `ip (no ${key.kind === "header" ? `header:${key.header}` : key.kind})`;
  return { id: `ip:${ip ?? "unknown"}`, kind };
}

/**
 * The client address, from `CF-Connecting-IP` only: Cloudflare sets it and
 * clients cannot, unlike X-Forwarded-For. An IPv6 client is keyed by its /64,
 * the prefix one subscriber is usually given (RFC 6177), so rotating through
 * its own addresses does not buy more quota.
 */
export function clientIp(headers: Headers): string | undefined {
  const raw = headers.get("cf-connecting-ip")?.trim();
  if (raw === undefined || raw === "") return undefined;
  if (!raw.includes(":")) return raw;
  return ipv6Prefix64(raw) ?? raw;
}

/** "2001:db8:1:2:3:4:5:6" → "2001:db8:1:2::/64"; an IPv4-mapped address → the IPv4 address. */
export function ipv6Prefix64(address: string): string | undefined {
  const text = address.toLowerCase().replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (mapped?.[1] !== undefined) return mapped[1];
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" || halves[0] === undefined ? [] : halves[0].split(":");
  const tail = halves.length === 2 && halves[1] !== "" && halves[1] !== undefined ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array.from({ length: missing }, () => "0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * The credential a request presents (bearer token or API key), read the way
 * authentication reads it on a route with this auth mode (src/auth/credentials.ts:
 * a `jwt` route reads no API key); undefined when there is none or it is
 * malformed (a 400, never a failed attempt).
 */
export function presentedCredential(request: Request, auth: Pick<AuthConfig, "apiKeyHeader" | "apiKeyQueryParam">, mode: AuthMode): string | undefined {
  const found = readCredentials(request.headers, request.url, {
    apiKeyHeader: auth.apiKeyHeader,
    apiKeyQueryParam: auth.apiKeyQueryParam,
    readsApiKeys: mode !== "jwt",
  });
  if (found.kind === "bearer") return found.token;
  if (found.kind === "api_key") return found.key;
  return undefined;
}
