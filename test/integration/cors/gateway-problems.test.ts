// Every problem the gateway throws after routing is readable by a page on an
// allowed origin: the cors step decorates the rendered error on its way out.
import { afterEach, describe, expect, it, vi } from "vitest";
import { digestOf } from "../../helpers/auth";
import { APP, expectReadable } from "../../helpers/cors";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";
import { failingLimiter } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

const KEY = "pcl_cors_problems_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";

async function vars(extra: Record<string, unknown> = {}) {
  return {
    PORTCULLIS: {
      auth: { keys: { [await digestOf(KEY)]: { consumer: "web-app", scopes: ["read"] } } },
      rate_limits: { one: { quota: 1, window_seconds: 60, key: "ip" } },
      cors: { web: { origins: [APP], credentials: true } },
      defaults: { cors: "web", methods: ["GET", "POST"], accept: ["application/json"], max_body_bytes: 10, timeout_ms: 50 },
      routes: [
        { pattern: "/private", auth: "api_key" },
        { pattern: "/admin", auth: "api_key", scopes: ["admin"] },
        { pattern: "/limited", rate_limits: ["one"] },
        { pattern: "/closed", rate_limits: ["one"], rate_limit_failure: "closed" },
      ],
    },
    ...extra,
  };
}

function call(path: string, init: RequestInit = {}, ip = "198.51.100.140"): RequestInit & { path: string } {
  return { ...init, path, headers: { origin: APP, "cf-connecting-ip": ip, ...(init.headers as Record<string, string> | undefined) } };
}

describe("CORS headers on the gateway's own problems", () => {
  it.each([
    [401, call("/private")],
    [403, call("/admin", { headers: { "x-api-key": KEY } })],
    [405, call("/x", { method: "DELETE" })],
    [413, call("/x", { method: "POST", body: "01234567890", headers: { "content-type": "application/json" } })],
    [415, call("/x", { method: "POST", body: "{}", headers: { "content-type": "text/plain" } })],
  ])("%i", async (status, { path, ...init }) => {
    const origin = mockOrigin(() => new Response("never"));
    const res = await send(path, init, await vars());
    expect(res.status).toBe(status);
    await readProblem(res);
    expectReadable(res);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(origin.calls).toHaveLength(0);
  });

  it("401 exposes its challenge, 429 its Retry-After and RateLimit", async () => {
    mockOrigin(() => new Response("ok"));
    const v = await vars();
    const unauthenticated = await send("/private", call("/private"), v);
    expect(unauthenticated.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(unauthenticated.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate");
    expect((await send("/limited", call("/limited", {}, "198.51.100.141"), v)).status).toBe(200);
    const limited = await send("/limited", call("/limited", {}, "198.51.100.141"), v);
    expect(limited.status).toBe(429);
    expectReadable(limited);
    expect(limited.headers.get("retry-after")).not.toBeNull();
    expect(limited.headers.get("ratelimit")).not.toBeNull();
  });

  it("502, 504 and 500 from the proxy", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValueOnce(new TypeError("connection refused"));
    const badGateway = await send("/x", call("/x"), await vars());
    expect(badGateway.status).toBe(502);
    expectReadable(badGateway);

    mockOrigin(() => new Promise<Response>(() => {}));
    const timeout = await send("/x", call("/x"), await vars());
    expect(timeout.status).toBe(504);
    expectReadable(timeout);

    vi.restoreAllMocks();
    // A bug, not an origin failure: the platform hands back something that is not a Response.
    vi.spyOn(globalThis, "fetch").mockResolvedValue({ get status(): number { throw new Error("internal state"); } } as unknown as Response);
    const internal = await send("/x", call("/x"), await vars());
    expect(internal.status).toBe(500);
    await readProblem(internal);
    expectReadable(internal);
  });

  it("503 when a fail-closed rate limiter is down", async () => {
    mockOrigin(() => new Response("never"));
    const down = failingLimiter(() => Promise.reject(new Error("object unreachable")));
    const res = await send("/closed", call("/closed"), await vars({ RATE_LIMITER: down.namespace }));
    expect(res.status).toBe(503);
    await readProblem(res);
    expectReadable(res);
  });
});
