// RateLimit-Policy and RateLimit on every response of a limited route: origin
// successes, origin errors and the gateway's own errors after the limiter.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";
import { readLimitField } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

const PORTCULLIS = {
  rate_limits: { burst: { quota: 10, window_seconds: 1, key: "ip" }, daily: { quota: 10_000, window_seconds: 86_400, key: "ip" } },
  routes: [{ pattern: "/open" }],
  defaults: { rate_limits: ["burst", "daily"] },
};
const POLICY = '"burst";q=10;w=1, "daily";q=10000;w=86400';

function get(path: string, ip: string): Promise<Response> {
  return send(path, { headers: { "cf-connecting-ip": ip } }, { PORTCULLIS: { ...PORTCULLIS, routes: [{ pattern: "/open", rate_limits: [] }] } });
}

describe("rate-limit headers", () => {
  it("are sent on an origin success, as structured fields counting down", async () => {
    mockOrigin(() => new Response("ok"));
    await get("/a", "192.0.2.10");
    const res = await get("/a", "192.0.2.10");
    expect(res.headers.get("ratelimit-policy")).toBe(POLICY);
    readLimitField(res.headers.get("ratelimit-policy"));
    const limits = readLimitField(res.headers.get("ratelimit"));
    expect(limits.get("burst")?.r).toBe(8);
    // Units are released one window plus one bucket (0.1 s) after their bucket starts.
    expect(limits.get("burst")?.t).toBeGreaterThanOrEqual(1);
    expect(limits.get("burst")?.t).toBeLessThanOrEqual(2);
    expect(limits.get("daily")?.r).toBe(9_998);
    expect(limits.get("daily")?.t).toBeGreaterThan(86_400);
  });

  it("are sent on an origin error", async () => {
    mockOrigin(() => new Response("boom", { status: 503 }));
    const res = await get("/a", "192.0.2.11");
    expect(res.status).toBe(503);
    expect(res.headers.get("ratelimit-policy")).toBe(POLICY);
    expect(readLimitField(res.headers.get("ratelimit")).get("burst")?.r).toBe(9);
  });

  it("carry no reset time on an origin's 429 or 503 with Retry-After: none of them refused the request", async () => {
    for (const [status, ip] of [[429, "192.0.2.21"], [503, "192.0.2.22"]] as const) {
      mockOrigin(() => new Response("slow down", { status, headers: { "retry-after": "17" } }));
      const res = await get("/a", ip);
      expect(res.status).toBe(status);
      expect(res.headers.get("retry-after")).toBe("17");
      const limits = readLimitField(res.headers.get("ratelimit"));
      expect(limits.get("burst")).toEqual({ r: 9 });
      expect(limits.get("daily")).toEqual({ r: 9_999 });
      vi.restoreAllMocks();
    }
  });

  it("are sent on the gateway's own errors after the limiter (502)", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connection refused"));
    const res = await get("/a", "192.0.2.12");
    expect(res.status).toBe(502);
    await readProblem(res);
    expect(res.headers.get("ratelimit-policy")).toBe(POLICY);
    expect(readLimitField(res.headers.get("ratelimit")).get("burst")?.r).toBe(9);
  });

  it("are not sent on routes without policies", async () => {
    mockOrigin(() => new Response("ok"));
    const res = await get("/open", "192.0.2.13");
    expect(res.headers.has("ratelimit")).toBe(false);
    expect(res.headers.has("ratelimit-policy")).toBe(false);
  });

  it("never make the origin's own limits more permissive", async () => {
    mockOrigin(() => new Response("ok", { headers: { ratelimit: '"burst";r=1;t=9, "origin";r=5', "ratelimit-policy": '"origin";q=5;w=60' } }));
    const res = await get("/a", "192.0.2.14");
    const limits = readLimitField(res.headers.get("ratelimit"));
    expect(limits.get("burst")).toEqual({ r: 1, t: 9 });
    expect(limits.get("origin")).toEqual({ r: 5 });
    expect(res.headers.get("ratelimit-policy")).toBe(`"origin";q=5;w=60, ${POLICY}`);
  });
});
