// Idle state is removed by the object's alarm; state still counting is kept.
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CheckCall, RateLimiter } from "../../../src/rate-limit/rate-limiter-object";

const call: CheckCall = { policies: [{ name: "minute", quota: 5, windowMs: 60_000, cost: 1 }], requests: 1, holdMs: 0 };

async function storedKeys(stub: DurableObjectStub<RateLimiter>) {
  return [...(await runInDurableObject(stub, (_: RateLimiter, state) => state.storage.list())).keys()];
}

describe("RateLimiter clean-up", () => {
  it("schedules an alarm when it stores usage", async () => {
    const stub = env.RATE_LIMITER.getByName("alarm:scheduled");
    await stub.check(call);
    const alarm = await runInDurableObject(stub, (_: RateLimiter, state) => state.storage.getAlarm());
    // The row is idle one window plus one bucket after the bucket it was spent in.
    expect(alarm).toBeGreaterThan(Date.now() + 60_000);
    expect(alarm).toBeLessThanOrEqual(Date.now() + 66_000);
  });

  it("deletes all storage once nothing counts any more", async () => {
    const stub = env.RATE_LIMITER.getByName("alarm:idle");
    await stub.check(call);
    // Age the stored usage by an hour, as if the client had gone quiet, and
    // restart the object so that it loads the aged usage.
    await runInDurableObject(stub, (_: RateLimiter, state) =>
      state.storage.put("usage:minute", { usage: [[Date.now() - 3_600_000, 1]], idleAt: Date.now() - 3_500_000 }),
    );
    await evictDurableObject(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await storedKeys(stub)).toEqual([]);
    expect(await runInDurableObject(stub, (_: RateLimiter, state) => state.storage.getAlarm())).toBeNull();
    // And it starts afresh when the client comes back.
    expect((await stub.check(call)).policies[0]?.remaining).toBe(4);
  });

  it("keeps usage that still counts, and comes back for it later", async () => {
    const stub = env.RATE_LIMITER.getByName("alarm:live");
    await stub.check(call);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.check(call)).policies[0]?.remaining).toBe(3);
    expect(await runInDurableObject(stub, (_: RateLimiter, state) => state.storage.getAlarm())).toBeGreaterThan(Date.now());
  });

  it("keeps a failed-authentication lock across eviction, and removes it once it has ended", async () => {
    const stub = env.RATE_LIMITER.getByName("alarm:lock");
    const failure = { attempts: 2, windowSeconds: 60, lockoutSeconds: 30 };
    expect(await stub.recordFailure(failure)).toEqual({ failures: 1, lockedForMs: 0 });
    expect((await stub.recordFailure(failure)).lockedForMs).toBe(30_000);
    await evictDurableObject(stub);
    expect((await stub.recordFailure(failure)).lockedForMs).toBeGreaterThan(25_000);
    // End the lock, as if half a minute had passed.
    await runInDurableObject(stub, (_: RateLimiter, state) => state.storage.put("lock", Date.now() - 1));
    await evictDurableObject(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await storedKeys(stub)).toEqual([]);
    expect(await stub.recordFailure(failure)).toEqual({ failures: 1, lockedForMs: 0 });
  });
});
