// A client over its limit is refused from the isolate's blocked-until cache:
// the Durable Object is not called again until one more request would fit.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";
import { countingLimiter } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

const PORTCULLIS = {
  rate_limits: { minute: { quota: 3, window_seconds: 60, key: "ip" } },
  defaults: { rate_limits: ["minute"] },
};

describe("blocked-until cache", () => {
  it("answers a flood from a client over its limit without calling its object", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = countingLimiter();
    const get = () => send("/a", { headers: { "cf-connecting-ip": "198.51.100.70" } }, { PORTCULLIS, RATE_LIMITER: limiter.namespace });
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
    expect(limiter.calls()).toBe(3);

    const flood = await Promise.all(Array.from({ length: 50 }, get));
    expect(flood.every((r) => r.status === 429)).toBe(true);
    // The grant that used the quota up said so: not one more call was needed.
    expect(limiter.calls()).toBe(3);
    const problem = await readProblem(flood[0] ?? new Response());
    expect(problem["violated-policies"]).toEqual(["minute"]);
    expect(Number(flood[0]?.headers.get("retry-after"))).toBeGreaterThan(59);
  });

  it("blocks only the client that is over its limit", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = countingLimiter();
    const get = (ip: string) => send("/a", { headers: { "cf-connecting-ip": ip } }, { PORTCULLIS, RATE_LIMITER: limiter.namespace });
    for (let i = 0; i < 4; i++) await get("198.51.100.71");
    expect((await get("198.51.100.72")).status).toBe(200);
    expect(limiter.calls()).toBe(4);
  });
});
