// `confirm_writes` travels from the policy in wrangler.toml to the object's
// call: a route confirms its writes when any of its policies asks for it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { countingLimiter } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

function vars(limiter: { namespace: unknown }) {
  return {
    RATE_LIMITER: limiter.namespace,
    PORTCULLIS: {
      rate_limits: {
        burst: { quota: 100, window_seconds: 1, key: "route" },
        daily: { quota: 10_000, window_seconds: 86_400, key: "route", confirm_writes: true },
      },
      routes: [
        { pattern: "/fast", rate_limits: ["burst"] },
        { pattern: "/contract", rate_limits: ["burst", "daily"] },
      ],
    },
  };
}

describe("confirm_writes", () => {
  it("asks the object to confirm only on routes with a confirming policy", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = countingLimiter();
    const v = vars(limiter);
    expect((await send("/fast", {}, v)).status).toBe(200);
    expect((await send("/contract", {}, v)).status).toBe(200);
    expect(limiter.checks.map((c) => c.confirmWrites)).toEqual([false, true]);
  });
});
