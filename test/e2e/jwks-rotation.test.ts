// A real JWKS server on loopback rotates its signing key mid-test; the running
// gateway (the bundled Worker in workerd) follows without a restart.
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest } from "./http-client";

const ISSUER = "https://issuer.e2e/";
const AUDIENCE = "portcullis-e2e";

interface Key {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } };
}

const sign = (key: Key) =>
  new SignJWT({ scope: "read" })
    .setProtectedHeader({ alg: "ES256", kid: key.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(`user-of-${key.kid}`)
    .setExpirationTime("5m")
    .sign(key.privateKey);

let origin: RunningOrigin;
let issuer: RunningOrigin;
let gateway: RunningGateway;
let published: Key[] = [];
let jwksFetches = 0;

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ consumer: req.headers["x-consumer-id"], authorization: req.headers.authorization ?? null }));
  });
  issuer = await startOrigin((_req, res) => {
    jwksFetches++;
    res.writeHead(200, { "content-type": "application/jwk-set+json" });
    res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
  });
  gateway = await startGateway(origin.url, {
    auth: {
      jwt: {
        algorithms: ["ES256"],
        jwks_url: `${issuer.url}/.well-known/jwks.json`,
        issuer: ISSUER,
        audience: AUDIENCE,
        jwks_cooldown_seconds: 1,
      },
    },
    defaults: { auth: "jwt" },
  });
});

afterAll(async () => {
  await gateway?.dispose();
  await issuer?.close();
  await origin?.close();
});

const call = async (token: string) => {
  const res = await httpRequest(`${gateway.url}/orders`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, challenge: res.headers["www-authenticate"], body: JSON.parse(res.body.toString()) as Record<string, unknown> };
};

it("accepts tokens of a rotated-in key without a restart, and rejects the retired key's", async () => {
  const first = await newKey("2026-01");
  const second = await newKey("2026-02");
  published = [first];

  const before = await call(await sign(first));
  expect(before.status).toBe(200);
  expect(before.body).toEqual({ consumer: "user-of-2026-01", authorization: null });
  expect(jwksFetches).toBe(1);

  // Rotation: the issuer publishes the new key and retires the old one.
  published = [second];
  await new Promise((resolve) => setTimeout(resolve, 1_100)); // past jwks_cooldown_seconds

  const after = await call(await sign(second));
  expect(after.status).toBe(200);
  expect(after.body.consumer).toBe("user-of-2026-02");
  expect(jwksFetches).toBe(2);

  const retired = await call(await sign(first));
  expect(retired.status).toBe(401);
  expect(retired.challenge).toBe('Bearer realm="portcullis", error="invalid_token"');
  expect(retired.body).toMatchObject({ status: 401, detail: "The credentials are not valid." });
  expect(jwksFetches).toBe(2); // an unknown kid within the cooldown does not refetch
});
