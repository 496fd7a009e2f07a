// Idle state is removed by the object's alarm; state still counting is kept.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CheckCall, RateLimiter } from "../../../src/rate-limit/rate-limiter-object";

const call: CheckCall = { policies: [{ name: "minute", quota: 5, windowMs: 60_000, cost: 1 }], requests: 1, holdMs: 0 };

function tables(stub: DurableObjectStub<RateLimiter>) {
  return runInDurableObject(stub, (_: RateLimiter, state) =>
    state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('usage', 'locks')").toArray().map((r) => r.name),
  );
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
    // Age the stored usage by an hour, as if the client had gone quiet.
    await runInDurableObject(stub, (_: RateLimiter, state) => {
      state.storage.sql.exec("UPDATE usage SET buckets = json_array(json_array(?, 1)), release_at = ?", Date.now() - 3_600_000, Date.now() - 3_500_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await tables(stub)).toEqual([]);
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
});
