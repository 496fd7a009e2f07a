// A preflight is answered before the lockout, authentication and rate
// limiting: no credential needed, no quota used, no failed attempt counted,
// no origin call. Browsers send preflights without credentials; these also
// carry a wrong key, to show that none of those steps even looks.
import { afterEach, describe, expect, it, vi } from "vitest";
import { digestOf } from "../../helpers/auth";
import { APP, expectReadable, preflightInit } from "../../helpers/cors";
import { mockOrigin, send } from "../../helpers/gateway";
import { countingLimiter, readLimitField } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

const KEY = "pcl_cors_costs_nothing_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";

describe("a preflight", () => {
  it("costs no quota, counts no failed attempt and never reaches the origin", async () => {
    const origin = mockOrigin(() => Response.json({ ok: true }));
    const limiter = countingLimiter();
    const vars = {
      RATE_LIMITER: limiter.namespace,
      PORTCULLIS: {
        auth: { keys: { [await digestOf(KEY)]: { consumer: "web-app" } } },
        auth_failures: { attempts: 1, window_seconds: 60 },
        rate_limits: { tight: { quota: 2, window_seconds: 60, key: "ip" } },
        cors: { web: { origins: [APP], headers: ["content-type", "x-api-key"] } },
        routes: [{ pattern: "/orders", methods: ["POST"], auth: "api_key", rate_limits: ["tight"], cors: "web" }],
      },
    };
    const ip = { "cf-connecting-ip": "198.51.100.131", "x-api-key": "pcl_wrong_key" };
    for (let i = 0; i < 5; i++) {
      const res = await send("/orders", preflightInit(APP, "POST", "content-type, x-api-key", ip), vars);
      expect(res.status).toBe(204);
      expect(res.headers.has("ratelimit")).toBe(false);
    }
    expect(limiter.calls()).toBe(0);
    expect(origin.calls).toHaveLength(0);

    // The real call from the same IP: not locked out, and the first unit of its quota.
    const res = await send("/orders", { method: "POST", headers: { origin: APP, "cf-connecting-ip": ip["cf-connecting-ip"], "x-api-key": KEY, "content-type": "application/json" }, body: "{}" }, vars);
    expect(res.status).toBe(200);
    expect(readLimitField(res.headers.get("ratelimit")).get("tight")?.r).toBe(1);
    expectReadable(res);
    expect(limiter.calls()).toBe(1);
    expect(origin.calls).toHaveLength(1);
  });
});
