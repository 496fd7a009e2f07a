// HS256 tokens verified with a secret from `wrangler secret`.
import { UnsecuredJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AUDIENCE, HMAC_SECRET, ISSUER, hmacKey, token } from "../../helpers/auth";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

const vars = (secret: string | null = HMAC_SECRET) => ({
  JWT_SECRET: secret ?? undefined,
  PORTCULLIS: {
    auth: { realm: "api", jwt: { algorithms: ["HS256"], secret_binding: "JWT_SECRET", issuer: ISSUER, audience: AUDIENCE, leeway_seconds: 30 } },
    routes: [
      { pattern: "/me", auth: "jwt" },
      { pattern: "/reports", auth: "jwt", scopes: ["reports:read"] },
    ],
  },
});
const now = () => Math.floor(Date.now() / 1000);
const bearer = (jwt: string) => ({ headers: { authorization: `Bearer ${jwt}` } });

async function expectInvalid(jwt: string): Promise<void> {
  const res = await send("/me", bearer(jwt), vars());
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api", error="invalid_token"');
  expect((await readProblem(res)).detail).toBe("The credentials are not valid.");
}

describe("JWT with an HMAC secret", () => {
  it("accepts a valid token and forwards consumer, subject and scopes", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/reports", bearer(await token(hmacKey(), { sub: "alice", scope: "reports:read openid" })), vars());
    expect(res.status).toBe(200);
    const headers = origin.calls[0]?.request.headers;
    expect(headers?.get("x-consumer-id")).toBe("alice");
    expect(headers?.get("x-auth-subject")).toBe("alice");
    expect(headers?.get("x-consumer-scopes")).toBe("reports:read openid");
  });

  it("rejects alg none, a tampered signature, a wrong secret, and a token without exp", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await expectInvalid(new UnsecuredJWT({ iss: ISSUER, aud: AUDIENCE, sub: "x", exp: now() + 60 }).encode());
    const [header, payload, signature = ""] = (await token(hmacKey())).split(".");
    await expectInvalid(`${header}.${payload}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`);
    await expectInvalid(await token(hmacKey("another-secret-of-32-bytes-length!")));
    await expectInvalid(await token(hmacKey(), { exp: undefined }));
    expect(origin.calls).toHaveLength(0);
  });

  it("checks exp and nbf with the configured leeway", async () => {
    mockOrigin(() => new Response("ok"));
    await expectInvalid(await token(hmacKey(), { exp: now() - 31 }));
    await expectInvalid(await token(hmacKey(), { nbf: now() + 31 }));
    expect((await send("/me", bearer(await token(hmacKey(), { exp: now() - 20, nbf: now() + 20 })), vars())).status).toBe(200);
  });

  it("checks iss and aud", async () => {
    mockOrigin(() => new Response("ok"));
    await expectInvalid(await token(hmacKey(), { iss: "https://evil.test/" }));
    await expectInvalid(await token(hmacKey(), { aud: "https://other-api.test" }));
  });

  it("403 when the scope or scp claim lacks a required scope", async () => {
    mockOrigin(() => new Response("ok"));
    const res = await send("/reports", bearer(await token(hmacKey(), { scp: ["reports:write"] })), vars());
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api", error="insufficient_scope", scope="reports:read"');
    await readProblem(res);
  });

  it("answers 500 when the secret is missing or too short for HS256, without saying so", async () => {
    mockOrigin(() => new Response("ok"));
    for (const secret of [null, "short"]) {
      const res = await send("/me", bearer(await token(hmacKey())), vars(secret));
      expect(res.status).toBe(500);
      expect(JSON.stringify(await readProblem(res))).not.toMatch(/JWT_SECRET|secret|RFC 7518/);
    }
  });
});
