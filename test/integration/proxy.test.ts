import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../helpers/gateway";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("forwarding to the origin", () => {
  it("forwards method, path and query exactly as received, under the origin's base path", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/a%3Bb/c%20d?x=1&y=%2B&x=2", { method: "DELETE" }, { ORIGIN_URL: "https://origin.test/v1/" });
    expect(res.status).toBe(200);
    expect(origin.calls[0]?.request.method).toBe("DELETE");
    expect(origin.calls[0]?.request.url).toBe("https://origin.test/v1/a%3Bb/c%20d?x=1&y=%2B&x=2");
  });

  it("streams the request body through and returns the origin's response unchanged", async () => {
    const origin = mockOrigin(() => new Response("created", { status: 201, headers: { "content-type": "text/plain", etag: '"v1"', "x-origin": "yes" } }));
    const res = await send("/items", { method: "POST", body: JSON.stringify({ a: 1 }), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe("created");
    expect(res.headers.get("etag")).toBe('"v1"');
    expect(res.headers.get("x-origin")).toBe("yes");
    expect(res.headers.get("via")).toBe("1.1 portcullis");
    expect(new TextDecoder().decode(origin.calls[0]?.body)).toBe('{"a":1}');
  });

  it("does not follow redirects: 3xx reach the client untouched", async () => {
    const origin = mockOrigin(() => new Response(null, { status: 302, headers: { location: "https://elsewhere.test/x" } }));
    const res = await send("/old");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://elsewhere.test/x");
    expect(origin.calls).toHaveLength(1);
    expect(origin.spy.mock.calls[0]?.[1]?.redirect).toBe("manual");
  });
});

describe("request id and trace context", () => {
  it("keeps a valid X-Request-Id, sends it upstream and returns it", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/", { headers: { "x-request-id": "abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123");
    expect(origin.calls[0]?.request.headers.get("x-request-id")).toBe("abc-123");
  });

  it("mints an id for an unsafe one, and a traceparent when absent", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/", { headers: { "x-request-id": "bad id with spaces" } });
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(origin.calls[0]?.request.headers.get("x-request-id")).toBe(id);
    expect(origin.calls[0]?.request.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("continues an incoming trace", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await send("/", { headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" } });
    expect(origin.calls[0]?.request.headers.get("traceparent")).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$/);
  });
});

describe("header hygiene on the way in", () => {
  it("never forwards hop-by-hop or client-sent forwarding headers", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await send("/", {
      headers: {
        connection: "x-hop",
        "x-hop": "secret",
        "keep-alive": "timeout=5",
        "proxy-authorization": "Basic eDp5",
        "x-forwarded-for": "6.6.6.6",
        forwarded: "for=6.6.6.6",
        "x-forwarded-host": "evil.test",
        "cf-connecting-ip": "198.51.100.9",
      },
    });
    const headers = origin.calls[0]?.request.headers ?? new Headers();
    for (const name of ["connection", "x-hop", "keep-alive", "proxy-authorization"]) expect(headers.has(name)).toBe(false);
    expect(headers.get("x-forwarded-for")).toBe("198.51.100.9");
    expect(headers.get("x-forwarded-host")).toBe("gateway.test");
    expect(headers.get("forwarded")).toBe("for=198.51.100.9;proto=https;host=gateway.test");
  });
});
