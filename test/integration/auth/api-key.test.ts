import { afterEach, describe, expect, it, vi } from "vitest";
import { digestOf } from "../../helpers/auth";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

const KEY = "pcl_integration_test_key_aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const DISABLED = "pcl_integration_test_key_disabled_bbbbbbbbbbbbbbbbb";
const EXPIRED = "pcl_integration_test_key_expired_cccccccccccccccccc";

async function config() {
  return {
    PORTCULLIS: {
      auth: {
        realm: "orders",
        keys: {
          [await digestOf(KEY)]: { consumer: "acme", scopes: ["orders:read"], tier: "gold" },
          [await digestOf(DISABLED)]: { consumer: "old-acme", disabled: true },
          [await digestOf(EXPIRED)]: { consumer: "trial", expires_at: "2020-01-01T00:00:00Z" },
        },
      },
      routes: [{ pattern: "/orders/*", auth: "api_key" }],
    },
  };
}

describe("API keys", () => {
  it("accepts a key in X-API-Key and tells the origin who called", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/orders/1", { headers: { "x-api-key": KEY } }, await config());
    expect(res.status).toBe(200);
    const headers = origin.calls[0]?.request.headers;
    expect(headers?.get("x-consumer-id")).toBe("acme");
    expect(headers?.get("x-consumer-scopes")).toBe("orders:read");
    expect(headers?.has("x-auth-subject")).toBe(false);
  });

  it("accepts the same key as a bearer token", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/orders/1", { headers: { authorization: `Bearer ${KEY}` } }, await config());
    expect(res.status).toBe(200);
    expect(origin.calls[0]?.request.headers.get("x-consumer-id")).toBe("acme");
  });

  it("answers unknown, disabled and expired keys alike: 401 invalid_token, one detail", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const details = new Set<unknown>();
    for (const key of ["pcl_unknown", DISABLED, EXPIRED]) {
      const res = await send("/orders/1", { headers: { "x-api-key": key } }, await config());
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="orders", error="invalid_token"');
      const problem = await readProblem(res);
      expect(problem.type).toBe("tag:portcullis.dev,2026:problems/unauthenticated");
      details.add(problem.detail);
      expect(JSON.stringify(problem)).not.toMatch(/disabled|expired|unknown|acme|trial/i);
    }
    expect([...details]).toEqual(["The credentials are not valid."]);
    expect(origin.calls).toHaveLength(0);
  });

  it("treats a key in a header it does not read as no credentials: 401 without an error code", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/orders/1", { headers: { "x-api-token": KEY } }, await config());
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="orders"');
    await readProblem(res);
    expect(origin.calls).toHaveLength(0);
  });

  it("leaves public routes open", async () => {
    mockOrigin(() => new Response("ok"));
    expect((await send("/health", {}, await config())).status).toBe(200);
  });
});
