// Over the limit: a 429 quota-exceeded problem naming the violated policies,
// with Retry-After no earlier than any `t` it is sent with; the origin never sees it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";
import { readLimitField } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

const PORTCULLIS = {
  rate_limits: { minute: { quota: 2, window_seconds: 60, key: "ip" }, daily: { quota: 1000, window_seconds: 86_400, key: "ip" } },
  defaults: { rate_limits: ["minute", "daily"] },
};

function get(ip: string): Promise<Response> {
  return send("/orders", { headers: { "cf-connecting-ip": ip } }, { PORTCULLIS });
}

describe("quota exceeded", () => {
  it("answers 429 with the IANA problem type and the violated policies", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    expect((await get("203.0.113.20")).status).toBe(200);
    expect((await get("203.0.113.20")).status).toBe(200);
    const res = await get("203.0.113.20");
    expect(res.status).toBe(429);
    const problem = await readProblem(res);
    expect(problem.type).toBe("https://iana.org/assignments/http-problem-types#quota-exceeded");
    expect(problem["violated-policies"]).toEqual(["minute"]);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(origin.calls).toHaveLength(2);
  });

  it("sends Retry-After in whole seconds, no earlier than the violated policy's t", async () => {
    mockOrigin(() => new Response("ok"));
    await get("203.0.113.21");
    await get("203.0.113.21");
    for (const res of [await get("203.0.113.21"), await get("203.0.113.21")]) {
      expect(res.status).toBe(429);
      const retryAfter = res.headers.get("retry-after") ?? "";
      expect(retryAfter).toMatch(/^[1-9]\d*$/);
      const limits = readLimitField(res.headers.get("ratelimit"));
      const minute = limits.get("minute");
      expect(minute?.r).toBe(0);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(minute?.t ?? Infinity);
      expect(Number(retryAfter)).toBeGreaterThan(59);
      expect(Number(retryAfter)).toBeLessThanOrEqual(66);
      // Policies that did not refuse carry no `t`: Retry-After need not wait for them.
      for (const [name, params] of limits) if (name !== "minute") expect(params.t).toBeUndefined();
      readLimitField(res.headers.get("ratelimit-policy"));
    }
  });

  it("does not count refused requests", async () => {
    mockOrigin(() => new Response("ok"));
    await get("203.0.113.22");
    await get("203.0.113.22");
    await get("203.0.113.22");
    await get("203.0.113.22");
    const other = await send("/orders", { headers: { "cf-connecting-ip": "203.0.113.22" } }, {
      PORTCULLIS: { ...PORTCULLIS, defaults: { rate_limits: ["daily"] } },
    });
    expect(readLimitField(other.headers.get("ratelimit")).get("daily")?.r).toBe(997);
  });
});
