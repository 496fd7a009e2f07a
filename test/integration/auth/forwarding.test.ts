// What the origin receives: never a client-claimed identity, never the credential unless asked.
import { afterEach, describe, expect, it, vi } from "vitest";
import { digestOf } from "../../helpers/auth";
import { mockOrigin, send } from "../../helpers/gateway";

afterEach(() => {
  vi.restoreAllMocks();
});

const KEY = "pcl_forwarding_test_key_eeeeeeeeeeeeeeeeeeeeeeeeeeee";
const SPOOFED = { "x-consumer-id": "admin", "x-consumer-scopes": "admin", "x-auth-subject": "root" };

async function vars(auth: Record<string, unknown> = {}) {
  return {
    PORTCULLIS: {
      auth: { keys: { [await digestOf(KEY)]: { consumer: "acme" } }, ...auth },
      routes: [
        { pattern: "/private", auth: "api_key" },
        { pattern: "/passthrough", auth: "api_key", pass_credentials: true },
      ],
    },
  };
}

function received(origin: ReturnType<typeof mockOrigin>): Request {
  const request = origin.calls[0]?.request;
  if (request === undefined) throw new Error("the origin received nothing");
  return request;
}

describe("identity headers", () => {
  it("removes client-sent identity headers on a public route", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await send("/public", { headers: SPOOFED }, await vars());
    for (const name of Object.keys(SPOOFED)) expect(received(origin).headers.has(name)).toBe(false);
  });

  it("replaces them with the real identity on a protected route", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await send("/private", { headers: { ...SPOOFED, "x-api-key": KEY } }, await vars());
    const headers = received(origin).headers;
    expect(headers.get("x-consumer-id")).toBe("acme");
    expect(headers.get("x-consumer-scopes")).toBe("");
    expect(headers.has("x-auth-subject")).toBe(false);
  });

  it("uses the configured header names, and removes spoofed copies of those", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const auth = { identity_headers: { consumer: "X-Client", scopes: "X-Client-Scopes", subject: "X-Sub" } };
    await send("/private", { headers: { "x-client": "admin", "x-sub": "root", "x-api-key": KEY } }, await vars(auth));
    const headers = received(origin).headers;
    expect(headers.get("x-client")).toBe("acme");
    expect(headers.has("x-sub")).toBe(false);
  });
});

describe("credential stripping", () => {
  it("does not forward the API-key header or Authorization", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await send("/private", { headers: { "x-api-key": KEY } }, await vars());
    await send("/private", { headers: { authorization: `Bearer ${KEY}` } }, await vars());
    for (const call of origin.calls) {
      expect(call.request.headers.has("x-api-key")).toBe(false);
      expect(call.request.headers.has("authorization")).toBe(false);
    }
  });

  it("forwards them where the route sets pass_credentials", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await send("/passthrough", { headers: { authorization: `Bearer ${KEY}` } }, await vars());
    expect(received(origin).headers.get("authorization")).toBe(`Bearer ${KEY}`);
  });

  it("reads the query parameter only when enabled, and strips it keeping the rest of the query byte for byte", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    expect((await send(`/private?a=1&api_key=${KEY}`, {}, await vars())).status).toBe(401);
    const res = await send(`/private?a=%2F&api_key=${KEY}&b=x+y`, {}, await vars({ api_key_query_param: "api_key" }));
    expect(res.status).toBe(200);
    expect(received(origin).url).toBe("https://origin.test/private?a=%2F&b=x+y");
  });
});
