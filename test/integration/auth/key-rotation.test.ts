// Rotating a partner's API key without downtime, end to end: two digests for
// one consumer during the overlap, the old one ending at its expires_at, one
// quota for the consumer across both keys, and what key = "api_key" does.
import { afterEach, describe, expect, it, vi } from "vitest";
import { digestOf } from "../../helpers/auth";
import { mockOrigin, send } from "../../helpers/gateway";
import { readLimitField } from "../../helpers/rate-limit";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const OLD = "pcl_rotation_old_key_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const NEW = "pcl_rotation_new_key_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const CUTOVER = Date.parse("2027-03-01T00:00:00Z");

async function vars(key: "consumer" | "api_key", consumer = "acme") {
  return {
    PORTCULLIS: {
      auth: {
        keys: {
          [await digestOf(OLD)]: { consumer, scopes: ["orders"], expires_at: new Date(CUTOVER).toISOString() },
          [await digestOf(NEW)]: { consumer, scopes: ["orders"] },
        },
      },
      rate_limits: { partner: { quota: 100, window_seconds: 3600, key } },
      routes: [{ pattern: "/orders/*", auth: "api_key", scopes: ["orders"], rate_limits: ["partner"] }],
    },
  };
}

const call = (key: string, v: Record<string, unknown>) => send("/orders/1", { headers: { "x-api-key": key } }, v);

describe("rotating an API key", () => {
  it("accepts both keys as the same consumer during the overlap, and the old one no more after its expires_at", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    vi.useFakeTimers({ toFake: ["Date"], now: CUTOVER - 60_000 });
    const v = await vars("consumer");
    expect((await call(OLD, v)).status).toBe(200);
    expect((await call(NEW, v)).status).toBe(200);
    expect(origin.calls.map((c) => c.request.headers.get("x-consumer-id"))).toEqual(["acme", "acme"]);
    vi.setSystemTime(CUTOVER);
    expect((await call(OLD, v)).status).toBe(401);
    expect((await call(NEW, v)).status).toBe(200);
  });

  it("keeps one quota for the consumer across its keys (key = \"consumer\", the default)", async () => {
    mockOrigin(() => new Response("ok"));
    const v = await vars("consumer", "globex");
    const before = readLimitField((await call(OLD, v)).headers.get("ratelimit")).get("partner")?.r;
    const after = readLimitField((await call(NEW, v)).headers.get("ratelimit")).get("partner")?.r;
    expect(before).toBe(99);
    expect(after).toBe(98); // the new key did not start a fresh quota
  });

  it("gives each key a quota of its own with key = \"api_key\": a rotated key starts afresh", async () => {
    mockOrigin(() => new Response("ok"));
    const v = await vars("api_key", "initech");
    expect(readLimitField((await call(OLD, v)).headers.get("ratelimit")).get("partner")?.r).toBe(99);
    expect(readLimitField((await call(NEW, v)).headers.get("ratelimit")).get("partner")?.r).toBe(99);
  });

  it("revokes a key at once with disabled = true, the consumer's other key unaffected", async () => {
    mockOrigin(() => new Response("ok"));
    const v = await vars("consumer");
    const revoked = { PORTCULLIS: { ...v.PORTCULLIS, auth: { keys: { ...v.PORTCULLIS.auth.keys, [await digestOf(OLD)]: { consumer: "acme", scopes: ["orders"], disabled: true } } } } };
    expect((await call(OLD, revoked)).status).toBe(401);
    expect((await call(NEW, revoked)).status).toBe(200);
  });
});
