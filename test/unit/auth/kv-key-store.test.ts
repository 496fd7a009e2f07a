// The KV-backed key store, against the test environment's real KV namespace, with an injected clock.
import { describe, expect, it } from "vitest";
import { InvalidKeyRecord, KvKeyStore } from "../../../src/auth/kv-key-store";
import { digestOf, testKv } from "../../helpers/auth";

/** The real namespace, counting reads. */
function countingKv(): { kv: KVNamespace; reads: () => number } {
  let reads = 0;
  const real = testKv();
  const kv = new Proxy(real, {
    get(target, property) {
      if (property === "get") return (...args: Parameters<KVNamespace["get"]>) => (reads++, target.get(...args));
      return Reflect.get(target, property);
    },
  });
  return { kv, reads: () => reads };
}

describe("KvKeyStore", () => {
  it("caches a record for ttlMs, so a deletion shows after at most that", async () => {
    let now = 0;
    const { kv, reads } = countingKv();
    const store = new KvKeyStore(kv, { ttlMs: 30_000, now: () => now });
    const digest = await digestOf("pcl_unit_kv_cached");
    await testKv().put(digest, JSON.stringify({ consumer: "c", scopes: ["s"], expires_at: "2099-01-01T00:00:00+02:00" }));
    expect((await store.get(digest))?.record).toEqual({ consumer: "c", scopes: ["s"], disabled: false, tier: undefined, expiresAt: Date.parse("2098-12-31T22:00:00Z") });
    await testKv().delete(digest);
    now = 29_999;
    expect(await store.get(digest)).toBeDefined();
    expect(reads()).toBe(1);
    now = 30_000;
    expect(await store.get(digest)).toBeUndefined();
    expect(reads()).toBe(2);
  });

  it("caches misses for missTtlMs, separately from hits", async () => {
    let now = 0;
    const { kv, reads } = countingKv();
    const store = new KvKeyStore(kv, { ttlMs: 30_000, missTtlMs: 5_000, maxEntries: 1, now: () => now });
    const good = await digestOf("pcl_unit_kv_good");
    await testKv().put(good, JSON.stringify({ consumer: "g" }));
    await store.get(good);
    for (let i = 0; i < 3; i++) expect(await store.get(await digestOf("pcl_unit_kv_bad"))).toBeUndefined();
    expect(await store.get(await digestOf("pcl_unit_kv_other_bad"))).toBeUndefined();
    expect(await store.get(good)).toBeDefined(); // not evicted by the misses
    expect(reads()).toBe(3);
    now = 5_000;
    await store.get(await digestOf("pcl_unit_kv_bad"));
    expect(reads()).toBe(4);
  });

  it("throws InvalidKeyRecord for a value that is not a valid record", async () => {
    const store = new KvKeyStore(testKv(), { ttlMs: 1_000 });
    for (const [i, value] of ["{oops", JSON.stringify({ scopes: [] }), JSON.stringify({ consumer: "x", admin: true })].entries()) {
      const digest = await digestOf(`pcl_unit_kv_invalid_${i}`);
      await testKv().put(digest, value);
      await expect(store.get(digest)).rejects.toBeInstanceOf(InvalidKeyRecord);
    }
  });
});
