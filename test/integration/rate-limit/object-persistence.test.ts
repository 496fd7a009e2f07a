// The RateLimiter object keeps its counts in SQLite storage: they survive the
// object being evicted from memory.
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

  it("stores usage as rows in its SQLite database", async () => {
    const stub = env.RATE_LIMITER.getByName("persist:rows");
    await stub.check(call);
    const rows = await runInDurableObject(stub, (_: RateLimiter, state) => state.storage.sql.exec("SELECT policy, buckets FROM usage").toArray());
    expect(rows).toHaveLength(1);
    expect(rows[0]?.policy).toBe("hourly");
    expect(JSON.parse(String(rows[0]?.buckets))).toEqual([[expect.any(Number), 1]]);
  });

  it("decides concurrent calls one at a time: exactly the quota is granted", async () => {
    const stub = env.RATE_LIMITER.getByName("persist:concurrent");
    const replies = await Promise.all(Array.from({ length: 20 }, () => stub.check(call)));
    expect(replies.filter((r) => r.granted === 1)).toHaveLength(3);
  });
});
