// The identity the rate limiter (and anything after authenticate) reads from c.var.identity.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../../src/config/gateway-config";
import type { GatewayEnv, RequestLog } from "../../../src/context";
import { authenticate } from "../../../src/middleware/authenticate";
import { HMAC_SECRET, digestOf, hmacKey, token } from "../../helpers/auth";

const KEY = "pcl_identity_unit_key_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";

async function app(log: RequestLog) {
  const result = parseGatewayConfig({
    ORIGIN_URL: "https://origin.test",
    PORTCULLIS: {
      auth: { keys: { [await digestOf(KEY)]: { consumer: "acme", scopes: ["a", "b"], tier: "gold" } }, jwt: { algorithms: ["HS256"], secret_binding: "JWT_SECRET" } },
      defaults: { auth: "api_key_or_jwt" },
    },
  });
  if (!result.ok) throw new Error(result.issues.join("\n"));
  const { config } = result;
  const hono = new Hono<GatewayEnv>();
  hono.use(async (c, next) => {
    c.set("config", config);
    c.set("route", config.defaultRoute);
    c.set("log", log);
    await next();
  });
  hono.use(authenticate());
  hono.get("*", (c) => c.json(c.var.identity ?? null));
  return hono;
}

describe("c.var.identity", () => {
  it("carries consumer, scopes, method and tier for an API key, and names the consumer in the log", async () => {
    const log: RequestLog = {};
    const res = await (await app(log)).request("/", { headers: { "x-api-key": KEY } }, { JWT_SECRET: HMAC_SECRET });
    expect(await res.json()).toEqual({ consumer: "acme", scopes: ["a", "b"], method: "api_key", tier: "gold" });
    expect(log).toMatchObject({ consumer: "acme", auth_method: "api_key", key_id: (await digestOf(KEY)).slice(0, 12) });
  });

  it("carries consumer, scopes, method and subject for a JWT", async () => {
    const jwt = await token(hmacKey(), { sub: "alice", scope: "read" });
    const res = await (await app({})).request("/", { headers: { authorization: `Bearer ${jwt}` } }, { JWT_SECRET: HMAC_SECRET });
    expect(await res.json()).toEqual({ consumer: "alice", scopes: ["read"], method: "jwt", subject: "alice" });
  });
});
