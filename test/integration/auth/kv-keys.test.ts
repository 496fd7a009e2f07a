// Keys added and revoked in KV without a redeploy; the per-isolate cache bounds the delay.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { digestOf, testKv } from "../../helpers/auth";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const vars = (binding: string = "API_KEY_STORE") => ({
  API_KEY_STORE: testKv(),
  PORTCULLIS: { auth: { kv_binding: binding, kv_cache_ttl_seconds: 30 }, routes: [{ pattern: "/kv", auth: "api_key" }] },
});
const call = (key: string, binding?: string) => send("/kv", { headers: { "x-api-key": key } }, vars(binding));

describe("API keys in KV", () => {
  it("accepts a key put in KV, and refuses it within kv_cache_ttl_seconds of its deletion", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const key = "pcl_kv_revoked_key_ffffffffffffffffffffffffffffffff";
    await testKv().put(await digestOf(key), JSON.stringify({ consumer: "kv-acme", scopes: ["a"] }));
    expect((await call(key)).status).toBe(200);
    expect(origin.calls[0]?.request.headers.get("x-consumer-id")).toBe("kv-acme");

    await testKv().delete(await digestOf(key));
    vi.advanceTimersByTime(29_000);
    expect((await call(key)).status).toBe(200); // still cached
    vi.advanceTimersByTime(1_000);
    const res = await call(key);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="portcullis", error="invalid_token"');
    await readProblem(res);
  });

  it("remembers an unknown key briefly, then sees it once added", async () => {
    mockOrigin(() => new Response("ok"));
    const key = "pcl_kv_added_key_gggggggggggggggggggggggggggggggggg";
    expect((await call(key)).status).toBe(401);
    await testKv().put(await digestOf(key), JSON.stringify({ consumer: "late" }));
    expect((await call(key)).status).toBe(401); // the miss is cached
    vi.advanceTimersByTime(5_000);
    expect((await call(key)).status).toBe(200);
  });

  it("refuses a record marked disabled like an unknown key", async () => {
    mockOrigin(() => new Response("ok"));
    const key = "pcl_kv_disabled_key_hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh";
    await testKv().put(await digestOf(key), JSON.stringify({ consumer: "gone", disabled: true }));
    const res = await call(key);
    expect(res.status).toBe(401);
    expect((await readProblem(res)).detail).toBe("The credentials are not valid.");
  });

  it("answers 500 without naming the cause when the KV binding is missing or a record is broken", async () => {
    mockOrigin(() => new Response("ok"));
    const key = "pcl_kv_broken_key_iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii";
    await testKv().put(await digestOf(key), "{not json");
    for (const res of [await call("pcl_whatever", "NO_SUCH_BINDING"), await call(key)]) {
      expect(res.status).toBe(500);
      const problem = await readProblem(res);
      expect(problem.type).toBe("tag:portcullis.dev,2026:problems/internal-error");
      expect(JSON.stringify(problem)).not.toMatch(/NO_SUCH_BINDING|KV|JSON/);
    }
  });
});
