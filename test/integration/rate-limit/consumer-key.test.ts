// key = "consumer" (the default): each authenticated consumer has its own
// quota; on a route without auth the client IP is used instead.
import { afterEach, describe, expect, it, vi } from "vitest";
import { digestOf } from "../../helpers/auth";
import { mockOrigin, send } from "../../helpers/gateway";
import { readLimitField } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

const ALICE = "pcl_consumer_alice_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const BOB = "pcl_consumer_bob_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

async function vars() {
  return {
    PORTCULLIS: {
      auth: { keys: { [await digestOf(ALICE)]: { consumer: "alice" }, [await digestOf(BOB)]: { consumer: "bob" } } },
      rate_limits: { hourly: { quota: 5, window_seconds: 3600 } },
      defaults: { rate_limits: ["hourly"] },
      routes: [{ pattern: "/private/*", auth: "api_key" }],
    },
  };
}

function remaining(res: Response): number | undefined {
  return readLimitField(res.headers.get("ratelimit")).get("hourly")?.r;
}

describe("consumer keys", () => {
  it("counts each consumer separately, wherever it calls from", async () => {
    mockOrigin(() => new Response("ok"));
    const v = await vars();
    expect(remaining(await send("/private/a", { headers: { "x-api-key": ALICE, "cf-connecting-ip": "192.0.2.90" } }, v))).toBe(4);
    expect(remaining(await send("/private/a", { headers: { "x-api-key": ALICE, "cf-connecting-ip": "192.0.2.91" } }, v))).toBe(3);
    expect(remaining(await send("/private/a", { headers: { "x-api-key": BOB, "cf-connecting-ip": "192.0.2.90" } }, v))).toBe(4);
  });

  it("falls back to the client IP on a route without auth", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    mockOrigin(() => new Response("ok", { headers: { "content-length": "2" } }));
    const v = await vars();
    expect(remaining(await send("/public", { headers: { "cf-connecting-ip": "192.0.2.92" } }, v))).toBe(4);
    expect(remaining(await send("/public", { headers: { "cf-connecting-ip": "192.0.2.92" } }, v))).toBe(3);
    expect(remaining(await send("/public", { headers: { "cf-connecting-ip": "192.0.2.93" } }, v))).toBe(4);
    const line = JSON.parse(String(log.mock.calls.at(-1)?.[0])) as Record<string, unknown>;
    expect(line.rate_limit_key).toBe("ip (no consumer)");
  });
});
