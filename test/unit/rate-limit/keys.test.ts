// Which quota a request uses: the key, its fallbacks, and the client IP.
import { describe, expect, it } from "vitest";
import { sha256, sha256Hex, toHex } from "../../../src/digest";
import { clientIp, deriveKey, ipv6Prefix64 } from "../../../src/rate-limit/keys";

const identity = { consumer: "acme", scopes: [], method: "api_key" as const };

function source(headers: Record<string, string>, extra: { identity?: typeof identity; credential?: { kind: "api_key"; value: string; digest: Uint8Array; digestHex: string } } = {}) {
  return { identity: extra.identity, credential: extra.credential, headers: new Headers(headers), routeName: "orders", clientIp: headers["cf-connecting-ip"] ?? null };
}

async function apiKey(value: string) {
  const digest = await sha256(value);
  return { kind: "api_key" as const, value, digest, digestHex: toHex(digest) };
}

describe("rate-limit keys", () => {
  it("keys on the consumer when authenticated, else falls back to the client IP", async () => {
    expect(await deriveKey({ kind: "consumer" }, source({ "cf-connecting-ip": "203.0.113.7" }, { identity }))).toEqual({ id: "consumer:acme", kind: "consumer" });
    expect(await deriveKey({ kind: "consumer" }, source({ "cf-connecting-ip": "203.0.113.7" }))).toEqual({ id: "ip:203.0.113.7", kind: "ip (no consumer)" });
  });

  it("hashes credentials and header values: an object name never holds a secret", async () => {
    const key = await deriveKey({ kind: "api_key" }, source({}, { credential: await apiKey("pcl_secret") }));
    expect(key.id).toBe(`api_key:${await sha256Hex("pcl_secret")}`);
    const header = await deriveKey({ kind: "header", header: "x-tenant" }, source({ "x-tenant": "t1" }));
    expect(header.id).toBe(`header:x-tenant:${await sha256Hex("t1")}`);
    expect((await deriveKey({ kind: "header", header: "x-tenant" }, source({ "cf-connecting-ip": "192.0.2.1" }))).id).toBe("ip:192.0.2.1");
  });

  it("keys a route on its name", async () => {
    expect((await deriveKey({ kind: "route" }, source({}))).id).toBe("route:orders");
  });

  it("reads the client IP from CF-Connecting-IP only, never X-Forwarded-For", async () => {
    expect((await deriveKey({ kind: "ip" }, source({ "x-forwarded-for": "198.51.100.1" }))).id).toBe("ip:unknown");
    expect((await deriveKey({ kind: "ip" }, source({ "cf-connecting-ip": "198.51.100.2", "x-forwarded-for": "198.51.100.1" }))).id).toBe("ip:198.51.100.2");
  });

  it("keys IPv6 clients by their /64", () => {
    expect(ipv6Prefix64("2001:DB8:0001:0002:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(ipv6Prefix64("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(ipv6Prefix64("::ffff:192.0.2.9")).toBe("192.0.2.9");
    expect(ipv6Prefix64("1::2::3")).toBeUndefined();
    expect(clientIp("2001:db8:1:2::99")).toBe("2001:db8:1:2::/64");
  });
});
