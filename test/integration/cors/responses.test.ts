// Answers other than a preflight's: readable by an allowed origin, with the
// origin's own Access-Control-* replaced; untouched on routes that leave CORS
// to the origin.
import { afterEach, describe, expect, it, vi } from "vitest";
import { APP, expectNoCorsHeaders, expectReadable } from "../../helpers/cors";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

const ORIGIN_CORS = { "access-control-allow-origin": "*", "access-control-allow-methods": "PUT", "access-control-expose-headers": "X-Secret" };
const vars = {
  PORTCULLIS: {
    cors: { web: { origins: [APP, "https://*.example.com"], expose_headers: ["ETag"] }, public: { origins: ["*"] } },
    routes: [{ pattern: "/web/*", cors: "web" }, { pattern: "/public", cors: "public" }, { pattern: "/origin-owned" }],
  },
};

describe("an origin success", () => {
  it("carries the echoed origin, the exposed headers and Vary merged with the origin's, instead of the origin's CORS headers", async () => {
    mockOrigin(() => Response.json({ id: 1 }, { headers: { ...ORIGIN_CORS, vary: "Accept-Encoding", etag: '"v1"' } }));
    const res = await send("/web/orders", { headers: { origin: "https://shop.example.com" } }, vars);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 1 });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    expect(res.headers.get("access-control-expose-headers")).toBe("RateLimit, RateLimit-Policy, Retry-After, X-Request-Id, WWW-Authenticate, ETag");
    expect(res.headers.has("access-control-allow-methods")).toBe(false);
    expect(res.headers.has("access-control-allow-credentials")).toBe(false);
    expect(res.headers.get("vary")).toBe("Accept-Encoding, Origin");
  });

  it("grants a disallowed origin nothing, not even the origin's own headers, and still varies by Origin", async () => {
    mockOrigin(() => new Response("ok", { headers: ORIGIN_CORS }));
    for (const origin of ["https://evil-example.com", "https://example.com.evil.com", "http://shop.example.com", "https://shop.example.com:8443", "null"]) {
      const res = await send("/web/orders", { headers: { origin } }, vars);
      expect(res.status).toBe(200);
      expectNoCorsHeaders(res);
      expect(res.headers.get("vary")).toBe("Origin");
    }
  });

  it('is "*" on a policy of every origin, with no Vary', async () => {
    mockOrigin(() => new Response("ok"));
    const res = await send("/public", { headers: { origin: "https://anyone.test" } }, vars);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.has("vary")).toBe(false);
  });

  it("is left exactly as the origin sent it on a route without a policy", async () => {
    mockOrigin(() => new Response("ok", { headers: ORIGIN_CORS }));
    const res = await send("/origin-owned", { headers: { origin: APP } }, vars);
    for (const [name, value] of Object.entries(ORIGIN_CORS)) expect(res.headers.get(name)).toBe(value);
    expect(res.headers.has("vary")).toBe(false);
  });
});

describe("a normalized origin error", () => {
  it("is readable too, without the origin's CORS headers", async () => {
    mockOrigin(() => Response.json({ error: "not_found", message: "No such order" }, { status: 404, headers: { ...ORIGIN_CORS, "access-control-allow-origin": "https://evil.test" } }));
    const res = await send("/web/orders/9", { headers: { origin: APP } }, vars);
    expect(res.status).toBe(404);
    await readProblem(res);
    expectReadable(res, APP);
    expect(res.headers.get("access-control-expose-headers")).not.toContain("X-Secret");
  });
});

describe("answers from before a route is chosen", () => {
  const withDefaults = { PORTCULLIS: { ...vars.PORTCULLIS, unmatched: "not_found", max_url_length: 40, max_header_bytes: 600, defaults: { cors: "web" } } };

  it.each([
    [404, "/nowhere", {}],
    [414, `/web/${"a".repeat(50)}`, {}],
    [431, "/web/x", { "x-padding": "p".repeat(600) }],
    [400, "/web/a%2Fb", {}],
  ])("%i uses the [defaults] policy", async (status, path, headers) => {
    mockOrigin(() => new Response("never"));
    const res = await send(path, { headers: { origin: APP, ...headers } }, withDefaults);
    expect(res.status).toBe(status);
    await readProblem(res);
    expectReadable(res);
  });

  it("carries no CORS headers when [defaults] has no policy", async () => {
    mockOrigin(() => new Response("never"));
    const res = await send("/nowhere", { headers: { origin: APP } }, { PORTCULLIS: { ...vars.PORTCULLIS, unmatched: "not_found" } });
    expect(res.status).toBe(404);
    expectNoCorsHeaders(res);
  });
});
