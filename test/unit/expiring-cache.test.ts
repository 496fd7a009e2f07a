import { describe, expect, it } from "vitest";
import { ExpiringCache } from "../../src/expiring-cache";

describe("ExpiringCache", () => {
  it("forgets an entry once its TTL has passed, by the injected clock", () => {
    let now = 1_000;
    const cache = new ExpiringCache<string>(10, () => now);
    cache.set("k", "v", 30_000);
    now += 29_999;
    expect(cache.get("k")).toBe("v");
    now += 1;
    expect(cache.get("k")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("stays within its bound, evicting the least recently used entry", () => {
    const cache = new ExpiringCache<number>(2, () => 0);
    cache.set("a", 1, 1_000);
    cache.set("b", 2, 1_000);
    cache.get("a");
    cache.set("c", 3, 1_000);
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
  });

  it("keeps an entry until an absolute time, and says when that is", () => {
    let now = 0;
    const cache = new ExpiringCache<true>(10, () => now);
    cache.setUntil("locked", true, 5_000);
    expect(cache.expiresAt("locked")).toBe(5_000);
    now = 5_000;
    expect(cache.expiresAt("locked")).toBeUndefined();
  });
});
