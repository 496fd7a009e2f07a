// auth = "api_key_or_jwt": a bearer token that is a compact JWS is verified as a JWT, anything else as an API key.
import { afterEach, describe, expect, it, vi } from "vitest";
import { AUDIENCE, HMAC_SECRET, ISSUER, digestOf, hmacKey, token } from "../../helpers/auth";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

const KEY = "pcl_either_test_key_jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj";

async function vars() {
  return {
    JWT_SECRET: HMAC_SECRET,
    PORTCULLIS: {
      auth: {
        keys: { [await digestOf(KEY)]: { consumer: "key-consumer", tier: "gold" } },
        jwt: { algorithms: ["HS256"], secret_binding: "JWT_SECRET", issuer: ISSUER, audience: AUDIENCE },
      },
      routes: [
        { pattern: "/either", auth: "api_key_or_jwt" },
        { pattern: "/jwt-only", auth: "jwt" },
      ],
    },
  };
}

describe("api_key_or_jwt", () => {
  it("accepts an API key in its header or as a bearer token, and a JWT as a bearer token", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const jwt = await token(hmacKey(), { sub: "jwt-user" });
    const cases: Record<string, string>[] = [{ "x-api-key": KEY }, { authorization: `Bearer ${KEY}` }, { authorization: `Bearer ${jwt}` }];
    for (const headers of cases) {
      expect((await send("/either", { headers }, await vars())).status).toBe(200);
    }
    expect(origin.calls.map((c) => c.request.headers.get("x-consumer-id"))).toEqual(["key-consumer", "key-consumer", "jwt-user"]);
  });

  it("does not read API keys on a jwt route", async () => {
    mockOrigin(() => new Response("ok"));
    const asHeader = await send("/jwt-only", { headers: { "x-api-key": KEY } }, await vars());
    expect(asHeader.status).toBe(401);
    expect(asHeader.headers.get("www-authenticate")).toBe('Bearer realm="portcullis"');
    await readProblem(asHeader);
    const asBearer = await send("/jwt-only", { headers: { authorization: `Bearer ${KEY}` } }, await vars());
    expect(asBearer.headers.get("www-authenticate")).toBe('Bearer realm="portcullis", error="invalid_token"');
    await readProblem(asBearer);
  });
});
