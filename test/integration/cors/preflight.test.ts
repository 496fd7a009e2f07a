// A preflight on a route with a CORS policy is answered by the gateway:
// 204 with the allow headers, or a 403 problem naming what was refused.
import { afterEach, describe, expect, it, vi } from "vitest";
import { APP, expectNoCorsHeaders, preflightInit } from "../../helpers/cors";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

const PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
const vars = {
  PORTCULLIS: {
    auth: { keys: { ["0".repeat(64)]: { consumer: "nobody" } } },
    cors: { web: { origins: [APP, "https://*.example.net"], headers: ["Content-Type", "X-API-Key"], max_age: 300 } },
    routes: [
      // No OPTIONS in the route's methods and a media-type rule: neither applies to a preflight.
      { pattern: "/orders", methods: ["GET", "POST"], accept: ["application/json"], auth: "api_key", cors: "web" },
      { pattern: "/options", methods: ["GET", "OPTIONS"], cors: "web" },
      { pattern: "/origin-owned", methods: ["GET", "OPTIONS"] },
    ],
  },
};

describe("an allowed preflight", () => {
  it("gets 204 with the origin echoed and the allow headers, and never reaches the origin", async () => {
    const origin = mockOrigin(() => new Response("origin"));
    const res = await send("/orders", preflightInit("https://eu.shop.example.net", "POST", "content-type,x-api-key"), vars);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(Object.fromEntries([...res.headers].filter(([name]) => name.startsWith("access-control-") || name === "vary"))).toEqual({
      "access-control-allow-origin": "https://eu.shop.example.net",
      "access-control-allow-methods": "GET, POST, HEAD",
      "access-control-allow-headers": "content-type, x-api-key",
      "access-control-max-age": "300",
      vary: PREFLIGHT_VARY,
    });
    expect(res.headers.get("x-request-id")).not.toBeNull();
    expect(origin.calls).toHaveLength(0);
  });
});

describe("a refused preflight", () => {
  it.each([
    ["origin", preflightInit("https://example.net.evil.test", "POST", "content-type"), 'Cross-origin requests from "https://example.net.evil.test" are not allowed on this route.'],
    ["method", preflightInit(APP, "DELETE"), 'The method "DELETE" is not allowed in cross-origin requests to this route. Allowed methods: GET, POST, HEAD.'],
    ["header", preflightInit(APP, "POST", "content-type, x-debug"), 'The request header "x-debug" is not allowed in cross-origin requests to this route. Allowed headers: content-type, x-api-key.'],
  ])("for its %s gets a 403 problem without allow headers", async (_, init, detail) => {
    const origin = mockOrigin(() => new Response("origin"));
    const res = await send("/orders", init, vars);
    expect(res.status).toBe(403);
    const problem = await readProblem(res);
    expect(problem).toMatchObject({ type: "tag:portcullis.dev,2026:problems/cors-rejected", title: "Cross-origin request refused", detail, instance: "/orders" });
    expectNoCorsHeaders(res);
    expect(res.headers.get("vary")).toBe(PREFLIGHT_VARY);
    expect(origin.calls).toHaveLength(0);
  });

  it('refuses the "null" origin of sandboxed frames and local files', async () => {
    mockOrigin(() => new Response("origin"));
    const res = await send("/orders", preflightInit("null", "GET"), vars);
    expect(res.status).toBe(403);
    expect((await readProblem(res)).detail).toBe('Cross-origin requests from "null" are not allowed on this route.');
  });
});

describe("a preflight refused before a route is chosen", () => {
  it("gets the plain problem, no CORS headers: the browser fails it whatever it carries", async () => {
    mockOrigin(() => new Response("never"));
    const res = await send("/nowhere", preflightInit(APP, "GET"), { PORTCULLIS: { ...vars.PORTCULLIS, unmatched: "not_found", defaults: { cors: "web" } } });
    expect(res.status).toBe(404);
    await readProblem(res);
    expectNoCorsHeaders(res);
  });
});

describe("OPTIONS that is not a preflight", () => {
  it("stays what it was: 405 where the route lacks OPTIONS, proxied where it has it", async () => {
    const origin = mockOrigin(() => new Response("origin options", { headers: { allow: "GET, OPTIONS" } }));
    const refused = await send("/orders", { method: "OPTIONS", headers: { origin: APP } }, vars);
    expect(refused.status).toBe(405);
    expect(refused.headers.get("allow")).toBe("GET, POST, HEAD");
    const proxied = await send("/options", { method: "OPTIONS", headers: { "access-control-request-method": "GET" } }, vars);
    expect(proxied.status).toBe(200);
    expect(await proxied.text()).toBe("origin options");
    expect(origin.calls.map((c) => c.request.method)).toEqual(["OPTIONS"]);
  });

  it("and a preflight on a route without a policy goes to the origin, as before", async () => {
    const origin = mockOrigin(() => new Response(null, { status: 204, headers: { "access-control-allow-origin": "https://other.test" } }));
    const res = await send("/origin-owned", preflightInit(APP, "PUT", "x-anything"), vars);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://other.test");
    expect(res.headers.has("vary")).toBe(false);
    expect(origin.calls).toHaveLength(1);
  });
});
