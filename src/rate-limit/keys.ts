/**
 * Which quota a request uses: the rate-limit key, from the policy's `key`
 * setting and the request. The key names the Durable Object that holds the
 * quota, so it never contains a raw credential or an unbounded client string:
 * those are hashed.
 */
import type { Credential } from "../auth/credentials";
import type { Identity } from "../auth/identity";
import { sha256Hex } from "../digest";
import type { RateLimitKey } from "./config";

export interface KeySource {
  readonly identity: Identity | undefined;
  readonly headers: Headers;
  readonly routeName: string;
  /** The request's one reading of its credential (src/auth/step.ts), where the route reads one. */
  readonly credential: Credential | undefined;
  /** CF-Connecting-IP as received. */
  readonly clientIp: string | null;
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
    case "api_key": {
      const credential = source.credential;
      // The digest the credential was read with: no second hashing.
      if (credential?.kind === "api_key" || credential?.kind === "bearer") return { id: `api_key:${credential.digestHex}`, kind: "api_key" };
      break;
    }
    case "header": {
      const value = source.headers.get(key.header);
      if (value !== null) return { id: `header:${key.header}:${await sha256Hex(value)}`, kind: `header:${key.header}` };
      break;
    }
    case "ip":
      break;
  }
  const ip = clientIp(source.clientIp);
  const kind = key.kind === "ip" ? "ip" : `ip (no ${key.kind === "header" ? `header:${key.header}` : key.kind})`;
  return { id: `ip:${ip ?? "unknown"}`, kind };
}

/**
 * The client address, from `CF-Connecting-IP` only: Cloudflare sets it and
 * clients cannot, unlike X-Forwarded-For. An IPv6 client is keyed by its /64,
 * the prefix one subscriber is usually given (RFC 6177), so rotating through
 * its own addresses does not buy more quota.
 */
export function clientIp(header: string | null): string | undefined {
  const raw = header?.trim();
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
