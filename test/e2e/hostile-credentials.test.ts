// Forged and malformed JWTs against the real bundled gateway, verifying RS256
// tokens against a real key set on loopback. Every forgery must get the same
// 401 (or 400 when the credential is not even well-formed), never reach the
// origin, and never make the gateway fetch a key from anywhere but jwks_url.
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest, problemOf } from "./http-client";

const ISSUER = "https://issuer.hostile.test/";
const AUDIENCE = "portcullis-hostile";
const KID = "issuer-key-1";

let origin: RunningOrigin;
let issuer: RunningOrigin;
let attacker: RunningOrigin;
let gateway: RunningGateway;
let originHits: string[] = [];
let jwksFetches = 0;
let attackerFetches = 0;

let issuerKey: CryptoKey;
let issuerJwk: JWK;
let issuerPem: string;
let attackerKey: CryptoKey;
let attackerJwk: JWK;

const b64url = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: JWTPayload = {}): JWTPayload => ({ iss: ISSUER, aud: AUDIENCE, sub: "user-1", iat: now(), exp: now() + 300, ...extra });

function sign(key: CryptoKey | Uint8Array, header: Record<string, unknown>, payload: JWTPayload = claims()): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: "RS256", ...header } as { alg: string }).sign(key);
}

/** Signs what jose would refuse to sign (unknown `crit`): header and payload as given, RS256 over them. */
async function signRaw(header: Record<string, unknown>, payload: JWTPayload = claims()): Promise<string> {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", issuerKey, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString("base64url")}`;
}

/** The issuer's own key material, used with PS256 instead of the RS256 it is published for. */
async function signPs256(): Promise<string> {
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", issuerKey);
  const pss = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "RSA-PSS", hash: "SHA-256" }, false, ["sign"]);
  const input = `${b64url({ alg: "PS256", kid: KID })}.${b64url(claims())}`;
  const signature = await crypto.subtle.sign({ name: "RSA-PSS", saltLength: 32 }, pss, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString("base64url")}`;
}

beforeAll(async () => {
  ({ privateKey: issuerKey } = await generateKeyPair("RS256", { extractable: true }).then(async ({ privateKey, publicKey }) => {
    issuerJwk = { ...(await exportJWK(publicKey)), kid: KID, alg: "RS256", use: "sig" };
    issuerPem = await exportSPKI(publicKey);
    return { privateKey };
  }));
  ({ privateKey: attackerKey } = await generateKeyPair("RS256", { extractable: true }).then(async ({ privateKey, publicKey }) => {
    attackerJwk = { ...(await exportJWK(publicKey)), kid: "attacker", alg: "RS256", use: "sig" };
    return { privateKey };
  }));
  origin = await startOrigin((req, res) => {
    originHits.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ consumer: req.headers["x-consumer-id"] ?? null, authorization: req.headers.authorization ?? null }));
  });
  issuer = await startOrigin((_req, res) => {
    jwksFetches++;
    res.writeHead(200, { "content-type": "application/jwk-set+json" });
    res.end(JSON.stringify({ keys: [issuerJwk] }));
  });
  attacker = await startOrigin((_req, res) => {
    attackerFetches++;
    res.writeHead(200, { "content-type": "application/jwk-set+json" });
    res.end(JSON.stringify({ keys: [attackerJwk] }));
  });
  gateway = await startGateway(origin.url, {
    auth: { jwt: { algorithms: ["RS256"], jwks_url: `${issuer.url}/jwks.json`, issuer: ISSUER, audience: AUDIENCE } },
    defaults: { auth: "jwt" },
  });
});

afterAll(async () => {
  await gateway?.dispose();
  await Promise.all([origin?.close(), issuer?.close(), attacker?.close()]);
});

beforeEach(() => {
  originHits = [];
});

const call = (authorization: string, headers: Record<string, string> = {}) => httpRequest(`${gateway.url}/orders`, { headers: { ...headers, authorization } });

it("accepts a token the issuer signed (the baseline every forgery below departs from)", async () => {
  const res = await call(`Bearer ${await sign(issuerKey, { kid: KID })}`);
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body.toString())).toEqual({ consumer: "user-1", authorization: null });
  // The hand-signing helper below is sound: without `crit`, its token passes.
  expect((await call(`Bearer ${await signRaw({ alg: "RS256", kid: KID })}`)).status).toBe(200);
});

// Each forgery builds an Authorization value once the keys exist.
const FORGERIES: [string, () => Promise<string>][] = [
  ["alg none, unsigned", async () => `Bearer ${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims())}.`],
  ["alg none with the issuer's kid", async () => `Bearer ${b64url({ alg: "none", kid: KID })}.${b64url(claims())}.`],
  ["HS256 signed with the issuer's public key (PEM) as the HMAC secret", async () => `Bearer ${await sign(new TextEncoder().encode(issuerPem), { alg: "HS256", kid: KID })}`],
  ["HS256 signed with the issuer's public JWK as the HMAC secret", async () => `Bearer ${await sign(new TextEncoder().encode(JSON.stringify(issuerJwk)), { alg: "HS256", kid: KID })}`],
  [
    "a tampered payload under the issuer's signature",
    async () => {
      const [header, , signature] = (await sign(issuerKey, { kid: KID })).split(".");
      return `Bearer ${header}.${b64url(claims({ sub: "admin" }))}.${signature}`;
    },
  ],
  [
    "the issuer's signature stripped",
    async () => {
      const [header, payload] = (await sign(issuerKey, { kid: KID })).split(".");
      return `Bearer ${header}.${payload}.`;
    },
  ],
  ["another key claiming the issuer's kid", async () => `Bearer ${await sign(attackerKey, { kid: KID })}`],
  ["the attacker's own key embedded in the header (jwk)", async () => `Bearer ${await sign(attackerKey, { jwk: attackerJwk })}`],
  ["a key set URL of the attacker's (jku)", async () => `Bearer ${await sign(attackerKey, { kid: "attacker", jku: `${attacker.url}/jwks.json` })}`],
  ["a certificate URL of the attacker's (x5u)", async () => `Bearer ${await sign(attackerKey, { kid: "attacker", x5u: `${attacker.url}/cert.pem` })}`],
  ["a path in the kid", async () => `Bearer ${await sign(attackerKey, { kid: "../../../../dev/null" })}`],
  ["an unknown critical header, validly signed", async () => `Bearer ${await signRaw({ alg: "RS256", kid: KID, crit: ["x-evil"], "x-evil": true })}`],
  ["an algorithm the gateway does not allow (PS256, the issuer's key)", async () => `Bearer ${await signPs256()}`],
  ["expired", async () => `Bearer ${await sign(issuerKey, { kid: KID }, claims({ exp: now() - 3600 }))}`],
  ["not valid yet", async () => `Bearer ${await sign(issuerKey, { kid: KID }, claims({ nbf: now() + 3600 }))}`],
  ["no exp", async () => `Bearer ${await sign(issuerKey, { kid: KID }, { iss: ISSUER, aud: AUDIENCE, sub: "user-1" })}`],
  ["another audience", async () => `Bearer ${await sign(issuerKey, { kid: KID }, claims({ aud: "someone-else" }))}`],
  ["another issuer", async () => `Bearer ${await sign(issuerKey, { kid: KID }, claims({ iss: "https://evil.example/" }))}`],
  ["two segments", async () => `Bearer ${b64url({ alg: "RS256" })}.${b64url(claims())}`],
  ["JSON that is not an object", async () => `Bearer ${b64url("[]")}.${b64url("[]")}.${b64url("x")}`],
  ["6 KiB of token", async () => `Bearer ${"A".repeat(6 * 1024)}.${"B".repeat(8)}.${"C".repeat(8)}`],
];

describe("forged tokens: one 401, no origin request, no detail about which check failed", () => {
  it.each(FORGERIES)("%s", async (_name, forge) => {
    const res = await call(await forge());
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="portcullis", error="invalid_token"');
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(problemOf(res)).toMatchObject({ type: "tag:portcullis.dev,2026:problems/unauthenticated", status: 401, detail: "The credentials are not valid." });
    expect(originHits).toEqual([]);
  });

  it("fetched keys only from jwks_url, and not once per forged kid", () => {
    expect(attackerFetches).toBe(0);
    // One fetch for the first token, at most one more for unknown kids within the cooldown.
    expect(jwksFetches).toBeGreaterThanOrEqual(1);
    expect(jwksFetches).toBeLessThanOrEqual(2);
  });
});

describe("malformed credentials: 400 invalid_request, no origin request", () => {
  it.each([
    ["a token with characters a token cannot have", async () => "Bearer a.b.c!{}"],
    ["Bearer with no token", async () => "Bearer "],
    // Two Authorization fields arrive joined with ", " (RFC 9110 §5.3).
    ["two Authorization values", async () => `Bearer ${await sign(issuerKey, { kid: KID })}, Bearer x.y.z`],
    ["not credentials syntax", async () => "\u00ff\u00fe"],
  ] as [string, () => Promise<string>][])("%s", async (_name, make) => {
    const res = await call(await make());
    expect(res.status).toBe(400);
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="portcullis", error="invalid_request"');
    expect(problemOf(res).type).toBe("tag:portcullis.dev,2026:problems/invalid-credentials-request");
    expect(originHits).toEqual([]);
  });
});

it("passes neither the token nor a client-claimed identity to the origin", async () => {
  const res = await call(`Bearer ${await sign(issuerKey, { kid: KID })}`, { "x-consumer-id": "admin", "x-auth-subject": "root" });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body.toString())).toEqual({ consumer: "user-1", authorization: null });
});
