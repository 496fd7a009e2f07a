// Public-key JWTs verified against the issuer's JWKS, and the algorithm-confusion attacks on it.
import { exportJWK, exportSPKI, generateKeyPair } from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { jwksAuth, signingKey, token, withJwks, type SigningKey } from "../../helpers/auth";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

let keys: SigningKey[] = [];
beforeAll(async () => {
  keys = [await signingKey("RS256", "rsa-1"), await signingKey("ES256", "ec-1"), await signingKey("EdDSA", "ed-1"), await signingKey("PS256", "ps-1")];
});

const vars = { PORTCULLIS: { auth: jwksAuth(), routes: [{ pattern: "/api/*", auth: "jwt" }] } };
const call = (jwt: string) => send("/api/x", { headers: { authorization: `Bearer ${jwt}` } }, vars);

async function expectInvalid(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe('Bearer realm="portcullis", error="invalid_token"');
  await readProblem(res);
}

describe("JWTs verified with a JWKS", () => {
  it("accepts RS256, ES256, EdDSA and PS256 tokens signed by a published key", async () => {
    const origin = mockOrigin(withJwks(() => keys));
    for (const key of keys) {
      const res = await call(await token(key, { sub: `user-${key.kid}` }));
      expect(res.status, key.alg).toBe(200);
    }
    expect(origin.calls.filter((c) => c.request.url.startsWith("https://origin.test")).map((c) => c.request.headers.get("x-consumer-id"))).toEqual(keys.map((k) => `user-${k.kid}`));
  });

  it("rejects an HS256 token whose secret is the RSA public key (JWK or PEM)", async () => {
    mockOrigin(withJwks(() => keys));
    const rsa = keys[0];
    if (rsa === undefined) throw new Error("no key");
    const { publicKey } = await generateKeyPair("RS256", { extractable: true });
    for (const secret of [JSON.stringify(rsa.jwk), JSON.stringify(await exportJWK(publicKey)), await exportSPKI(publicKey)]) {
      await expectInvalid(await call(await token(new TextEncoder().encode(secret), {}, { alg: "HS256", kid: rsa.kid })));
    }
  });

  it("never fetches or trusts jku, x5u or an embedded jwk", async () => {
    const origin = mockOrigin(withJwks(() => keys));
    const attacker = await signingKey("RS256", "rsa-1"); // same kid as a real key
    const jwt = await token(attacker, {}, { jku: "https://evil.test/jwks.json", x5u: "https://evil.test/cert.pem", jwk: attacker.jwk });
    await expectInvalid(await call(jwt));
    expect(origin.calls.some((c) => c.request.url.includes("evil.test"))).toBe(false);
  });

  it("rejects a token signed by an unpublished key, or with an algorithm outside the pinned list", async () => {
    mockOrigin(withJwks(() => keys));
    await expectInvalid(await call(await token(await signingKey("ES256", "ec-1"))));
    const { privateKey } = await generateKeyPair("ES384");
    await expectInvalid(await call(await token({ alg: "ES384", kid: "ec-1", privateKey, jwk: {} })));
  });
});
