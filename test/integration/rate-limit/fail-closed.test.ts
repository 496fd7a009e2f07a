// The limiter fails on a fail-closed route: 503 service-unavailable with
// Retry-After, and the origin never sees the request.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";
import { failingLimiter } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

const PORTCULLIS = {
  rate_limits: { burst: { quota: 10, window_seconds: 1, key: "ip" } },
  defaults: { rate_limits: ["burst"], rate_limit_failure: "closed", rate_limit_timeout_ms: 50 },
};

describe("fail-closed", () => {
  for (const [what, fail] of [
    ["throws", () => Promise.reject(new Error("storage exploded"))],
    ["does not answer in time", () => new Promise<never>(() => undefined)],
  ] as const) {
    it(`answers 503 when the object ${what}`, async () => {
      const origin = mockOrigin(() => new Response("ok"));
      const limiter = failingLimiter(fail);
      const res = await send("/a", { headers: { "cf-connecting-ip": "192.0.2.40" } }, { PORTCULLIS, RATE_LIMITER: limiter.namespace });
      expect(res.status).toBe(503);
      const problem = await readProblem(res);
      expect(problem.type).toBe("tag:portcullis.dev,2026:problems/service-unavailable");
      expect(String(problem.detail)).not.toContain("storage exploded");
      expect(res.headers.get("retry-after")).toBe("1");
      expect(res.headers.get("portcullis-ratelimit")).toBe("unchecked");
      expect(origin.calls).toHaveLength(0);
    });
  }

  it("fails loudly without a RATE_LIMITER binding: a misconfiguration, never a limiter outage", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/a", {}, { PORTCULLIS, RATE_LIMITER: undefined });
    expect(res.status).toBe(500);
    const problem = await readProblem(res);
    expect(JSON.stringify(problem)).not.toContain("RATE_LIMITER");
    expect(origin.calls).toHaveLength(0);
  });
});
