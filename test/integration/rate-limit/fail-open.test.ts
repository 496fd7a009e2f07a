// The limiter fails (error, timeout, overload) on a fail-open route: the
// request proceeds, and the response and the log line say it was not checked.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { failingLimiter, overloaded } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

const PORTCULLIS = {
  rate_limits: { burst: { quota: 10, window_seconds: 1, key: "ip" } },
  defaults: { rate_limits: ["burst"], rate_limit_failure: "open", rate_limit_timeout_ms: 50 },
};

function logLines(spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] {
  return spy.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);
}

describe("fail-open", () => {
  it("proceeds unchecked when the object throws, and says so", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const limiter = failingLimiter(() => Promise.reject(new Error("storage exploded")));
    const res = await send("/a", { headers: { "cf-connecting-ip": "192.0.2.30" } }, { PORTCULLIS, RATE_LIMITER: limiter.namespace });
    expect(res.status).toBe(200);
    expect(res.headers.get("portcullis-ratelimit")).toBe("unchecked");
    expect(res.headers.get("ratelimit-policy")).toBe('"burst";q=10;w=1');
    expect(res.headers.has("ratelimit")).toBe(false);
    expect(origin.calls).toHaveLength(1);
    // The log line of a streamed body is written once the body has been read.
    await res.text();
    await vi.waitFor(() => expect(logLines(log).at(-1)).toMatchObject({ rate_limit: "unchecked", rate_limit_error: "Error: storage exploded" }));
  });

  it("gives up on a slow object after the time budget", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = failingLimiter(() => new Promise<never>(() => undefined));
    const started = Date.now();
    const res = await send("/a", { headers: { "cf-connecting-ip": "192.0.2.31" } }, { PORTCULLIS, RATE_LIMITER: limiter.namespace });
    expect(res.status).toBe(200);
    expect(res.headers.get("portcullis-ratelimit")).toBe("unchecked");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("does not call an overloaded object again right away, and never retries it", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = failingLimiter(() => Promise.reject(overloaded()));
    for (let i = 0; i < 5; i++) {
      const res = await send("/a", { headers: { "cf-connecting-ip": "192.0.2.32" } }, { PORTCULLIS, RATE_LIMITER: limiter.namespace });
      expect(res.headers.get("portcullis-ratelimit")).toBe("unchecked");
    }
    expect(limiter.calls()).toBe(1);
  });

  it("does not proceed unlimited without a RATE_LIMITER binding: that is a misconfiguration (500), not an outage", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/a", { headers: { "cf-connecting-ip": "192.0.2.33" } }, { PORTCULLIS, RATE_LIMITER: undefined });
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(origin.calls).toHaveLength(0);
  });
});
