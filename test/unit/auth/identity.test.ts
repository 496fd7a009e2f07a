// The identity the rate limiter (and anything after authenticate) reads from
// c.var.identity, tested on the authenticate step alone.
import { describe, expect, it } from "vitest";
import { authenticate } from "../../../src/auth/step";
import { HMAC_SECRET, digestOf, hmacKey, token } from "../../helpers/auth";
import { stepApp } from "../../helpers/steps";

const KEY = "pcl_identity_unit_key_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";

async function env(): Promise<Record<string, unknown>> {
  return {
    ORIGIN_URL: "https://origin.test",
    JWT_SECRET: HMAC_SECRET,
    PORTCULLIS: {
      auth: { keys: { [await digestOf(KEY)]: { consumer: "acme", scopes: ["a", "b"], tier: "gold" } }, jwt: { algorithms: ["HS256"], secret_binding: "JWT_SECRET" } },
      defaults: { auth: "api_key_or_jwt" },
    },
  };
}

const app = stepApp(authenticate(), (c) => c.json({ identity: c.var.identity ?? null, log: c.var.request.log }));

describe("c.var.identity", () => {
  it("carries consumer, scopes, method and tier for an API key, and names the consumer in the log", async () => {
    const res = await app.request("/", { headers: { "x-api-key": KEY } }, await env());
    const body = (await res.json()) as { identity: unknown; log: unknown };
    expect(body.identity).toEqual({ consumer: "acme", scopes: ["a", "b"], method: "api_key", tier: "gold" });
    expect(body.log).toMatchObject({ consumer: "acme", auth_method: "api_key", key_id: (await digestOf(KEY)).slice(0, 12) });
  });

  it("carries consumer, scopes, method and subject for a JWT", async () => {
    const jwt = await token(hmacKey(), { sub: "alice", scope: "read" });
    const res = await app.request("/", { headers: { authorization: `Bearer ${jwt}` } }, await env());
    expect(((await res.json()) as { identity: unknown }).identity).toEqual({ consumer: "alice", scopes: ["read"], method: "jwt", subject: "alice" });
  });

  it("answers 401 as a problem, through the one error renderer, without a credential", async () => {
    const res = await app.request("/", {}, await env());
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
