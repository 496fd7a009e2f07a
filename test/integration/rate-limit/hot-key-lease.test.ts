// A hot key with `lease`: the isolate holds batches sized to the key's demand,
// so a steady stream makes few object calls, unspent tokens go back, a slow
// client strands nothing, and the quota still holds.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { countingLimiter, readLimitField } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

function config(policy: Record<string, unknown>, pattern: string) {
  return { rate_limits: { hot: { key: "route", ...policy } }, routes: [{ pattern, rate_limits: ["hot"] }] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("leases for a hot key", () => {
  it("serves a steady stream mostly from leased tokens", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = countingLimiter();
    const v = { PORTCULLIS: config({ quota: 100_000, window_seconds: 60, lease: 20 }, "/steady"), RATE_LIMITER: limiter.namespace };
    const statuses: number[] = [];
    // Four clients, each sending its next request when the last one is answered.
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 40; i++) statuses.push((await send("/steady", {}, v)).status);
    }));
    expect(statuses.filter((s) => s === 200)).toHaveLength(160);
    expect(limiter.calls()).toBeLessThanOrEqual(40);
  });

  it("never admits more than the quota, whatever is leased", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const v = { PORTCULLIS: config({ quota: 100, window_seconds: 60, lease: 20 }, "/burst") };
    const statuses: number[] = [];
    for (let wave = 0; wave < 6; wave++) {
      const responses = await Promise.all(Array.from({ length: 25 }, () => send("/burst", {}, v)));
      statuses.push(...responses.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(origin.calls).toHaveLength(100);
  });

  it("gives unspent tokens back: what the client has left counts only what it spent", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = countingLimiter();
    // window 10 s: tokens are held for one bucket, 1 s.
    const v = { PORTCULLIS: config({ quota: 1000, window_seconds: 10, lease: 50 }, "/returns"), RATE_LIMITER: limiter.namespace };
    for (let i = 0; i < 30; i++) await send("/returns", {}, v);
    expect(limiter.checks.some((c) => c.requests > 1), "tokens were leased").toBe(true);
    await sleep(1_100); // every grant's hold has ended with tokens unspent
    const after = await send("/returns", {}, v);
    expect(limiter.checks.at(-1)?.returns?.length ?? 0).toBeGreaterThan(0);
    // 31 requests admitted; anything lower would be stranded quota.
    expect(readLimitField(after.headers.get("ratelimit")).get("hot")?.r).toBe(1000 - 31);
  });

  it("asks for one unit at a time for a client slower than the hold, and never refuses it under its quota", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = countingLimiter();
    // 10 per 1 s, held for 100 ms; the client sends 5 per second, half its quota.
    const v = { PORTCULLIS: config({ quota: 10, window_seconds: 1, lease: 3 }, "/slow-client"), RATE_LIMITER: limiter.namespace };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await send("/slow-client", {}, v)).status);
      await sleep(200);
    }
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 200));
    expect(limiter.checks.every((c) => c.requests === 1)).toBe(true);
  });

  it("reports what the client has left, held tokens included", async () => {
    mockOrigin(() => new Response("ok"));
    const v = { PORTCULLIS: config({ quota: 100, window_seconds: 60, lease: 20 }, "/other") };
    const first = await send("/other", {}, v);
    const second = await send("/other", {}, v);
    expect(readLimitField(first.headers.get("ratelimit")).get("hot")?.r).toBe(99);
    expect(readLimitField(second.headers.get("ratelimit")).get("hot")?.r).toBe(98);
  });
});
