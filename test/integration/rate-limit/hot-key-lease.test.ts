// A hot key with `lease`: the isolate leases batches, so most requests make
// no object call, and the quota still holds.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { countingLimiter, readLimitField } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

const PORTCULLIS = {
  rate_limits: { hot: { quota: 100, window_seconds: 60, key: "route", lease: 20 } },
  defaults: { rate_limits: ["hot"] },
};

describe("leases for a hot key", () => {
  it("serves most requests from leased tokens and never exceeds the quota", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const limiter = countingLimiter();
    const v = { PORTCULLIS, RATE_LIMITER: limiter.namespace };
    const statuses: number[] = [];
    // In waves of concurrent requests, as a busy isolate sees them.
    for (let wave = 0; wave < 6; wave++) {
      const responses = await Promise.all(Array.from({ length: 25 }, () => send("/hot", {}, v)));
      statuses.push(...responses.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(origin.calls).toHaveLength(100);
    expect(limiter.calls()).toBeLessThanOrEqual(12);
  });

  it("reports what the client has left, held tokens included", async () => {
    mockOrigin(() => new Response("ok"));
    const v = { PORTCULLIS: { ...PORTCULLIS, routes: [{ pattern: "/other", name: "other" }] } };
    const first = await send("/other", {}, v);
    const second = await send("/other", {}, v);
    expect(readLimitField(first.headers.get("ratelimit")).get("hot")?.r).toBe(99);
    expect(readLimitField(second.headers.get("ratelimit")).get("hot")?.r).toBe(98);
  });
});
