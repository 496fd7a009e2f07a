// The exact answers of RFC 6750 §3 for each way a request can fail auth.
import { afterEach, describe, expect, it, vi } from "vitest";
import { digestOf } from "../../helpers/auth";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

const KEY = "pcl_challenge_test_key_ddddddddddddddddddddddddddddd";

async function vars() {
  return {
    PORTCULLIS: {
      auth: { realm: "shop", api_key_query_param: "api_key", keys: { [await digestOf(KEY)]: { consumer: "acme", scopes: ["orders:read"] } } },
      routes: [
        { pattern: "/orders", auth: "api_key", scopes: ["orders:read"] },
        { pattern: "/admin", auth: "api_key", scopes: ["orders:read", "admin"] },
      ],
    },
  };
}

async function expectAnswer(res: Response, status: number, challenge: string, type: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get("www-authenticate")).toBe(challenge);
  const problem = await readProblem(res);
  expect(problem.type).toBe(`tag:portcullis.dev,2026:problems/${type}`);
  return problem;
}

describe("RFC 6750 answers", () => {
  it("401 with a bare challenge when no credentials are sent", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await expectAnswer(await send("/orders", {}, await vars()), 401, 'Bearer realm="shop"', "unauthenticated");
    expect(origin.calls).toHaveLength(0);
  });

  it("401 with a bare challenge for an unsupported scheme (Basic)", async () => {
    mockOrigin(() => new Response("ok"));
    const res = await send("/orders", { headers: { authorization: "Basic YWxhZGRpbjpvcGVuc2VzYW1l" } }, await vars());
    await expectAnswer(res, 401, 'Bearer realm="shop"', "unauthenticated");
  });

  it.each([
    ["Bearer with no token", { authorization: "Bearer" }],
    ["two bearer tokens", { authorization: `Bearer ${KEY}, Bearer ${KEY}` }],
    ["characters a token cannot have", { authorization: "Bearer abc$def" }],
    ["a scheme followed by garbage", { authorization: "Token a b c" }],
    ["an empty API-key header", { "x-api-key": "" }],
    ["a key in the header and as bearer token", { "x-api-key": KEY, authorization: `Bearer ${KEY}` }],
  ])("400 invalid_request for %s", async (_, headers) => {
    const origin = mockOrigin(() => new Response("ok"));
    const problem = await expectAnswer(await send("/orders", { headers }, await vars()), 400, 'Bearer realm="shop", error="invalid_request"', "invalid-credentials-request");
    expect(problem.detail).not.toContain(KEY);
    expect(origin.calls).toHaveLength(0);
  });

  it("400 invalid_request for a key both in the header and in the query", async () => {
    mockOrigin(() => new Response("ok"));
    const res = await send(`/orders?api_key=${KEY}`, { headers: { "x-api-key": KEY } }, await vars());
    await expectAnswer(res, 400, 'Bearer realm="shop", error="invalid_request"', "invalid-credentials-request");
  });

  it("403 insufficient_scope naming every required scope", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/admin", { headers: { "x-api-key": KEY } }, await vars());
    await expectAnswer(res, 403, 'Bearer realm="shop", error="insufficient_scope", scope="orders:read admin"', "insufficient-scope");
    expect(origin.calls).toHaveLength(0);
  });

  it("lets the request through when every required scope is granted", async () => {
    mockOrigin(() => new Response("ok"));
    expect((await send("/orders", { headers: { "x-api-key": KEY } }, await vars())).status).toBe(200);
  });
});
