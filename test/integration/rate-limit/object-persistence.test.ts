// The RateLimiter object keeps its counts in its SQLite-backed storage: they
// survive the object being evicted from memory, whether or not the writes were
// confirmed before the replies left.
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CheckCall, RateLimiter } from "../../../src/rate-limit/rate-limiter-object";

const call: CheckCall = { policies: [{ name: "hourly", quota: 3, windowMs: 3_600_000, cost: 1 }], requests: 1, holdMs: 0 };

describe("RateLimiter persistence", () => {
  it("continues counting after eviction", async () => {
    const stub = env.RATE_LIMITER.getByName("persist:evict");
    expect((await stub.check(call)).granted).toBe(1);
    expect((await stub.check(call)).granted).toBe(1);

    await evictDurableObject(stub);

    const third = await stub.check(call);
    expect(third.granted).toBe(1);
    expect(third.policies[0]?.remaining).toBe(0);
    expect((await stub.check(call)).granted).toBe(0);
  });

  it("continues counting after eviction with confirmed writes", async () => {
    const stub = env.RATE_LIMITER.getByName("persist:confirmed");
    const confirmed = { ...call, confirmWrites: true };
    expect((await stub.check(confirmed)).granted).toBe(1);
    await evictDurableObject(stub);
    expect((await stub.check(confirmed)).policies[0]?.remaining).toBe(1);
  });

  it("stores each policy's usage under its own key, with the moment it goes idle", async () => {
    const stub = env.RATE_LIMITER.getByName("persist:rows");
    const before = Date.now();
    await stub.check(call);
    const stored = await runInDurableObject(stub, (_: RateLimiter, state) => state.storage.list());
    expect([...stored.keys()]).toEqual(["usage:hourly"]);
    const entry = stored.get("usage:hourly") as { usage: [number, number][]; idleAt: number };
    expect(entry.usage).toEqual([[expect.any(Number), 1]]);
    // One window plus one bucket (a tenth of the window) after the bucket the unit was spent in.
    expect(entry.idleAt).toBe((entry.usage[0]?.[0] ?? 0) + 3_600_000 + 360_000);
    expect(entry.usage[0]?.[0]).toBeLessThanOrEqual(before);
  });

  it("ignores stored values it does not recognise instead of failing", async () => {
    const stub = env.RATE_LIMITER.getByName("persist:garbage");
    await runInDurableObject(stub, async (_: RateLimiter, state) => {
      await state.storage.put("usage:hourly", { usage: "not buckets", idleAt: 1 });
      await state.storage.put("lock", "never");
    });
    await evictDurableObject(stub);
    expect((await stub.check(call)).policies[0]?.remaining).toBe(2);
  });

  it("decides concurrent calls one at a time: exactly the quota is granted", async () => {
    const stub = env.RATE_LIMITER.getByName("persist:concurrent");
    const replies = await Promise.all(Array.from({ length: 20 }, () => stub.check(call)));
    expect(replies.filter((r) => r.granted === 1)).toHaveLength(3);
  });
});
