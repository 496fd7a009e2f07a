/** Keys, tokens and a key-set server for the auth tests. */
import { env } from "cloudflare:test";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";

declare global {
  namespace Cloudflare {
    interface Env {
      /** vitest.config.ts binds it for these tests. */
      TEST_API_KEYS: KVNamespace;
    }
  }
}

export const testKv = (): KVNamespace => env.TEST_API_KEYS;

export async function digestOf(key: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const ISSUER = "https://issuer.test/";
export const AUDIENCE = "https://api.test";
export const JWKS_URL = "https://issuer.test/.well-known/jwks.json";
/** 32 bytes: long enough for HS256 (RFC 7518 §3.2). */
export const HMAC_SECRET = "0123456789abcdef0123456789abcdef";

export interface SigningKey {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public JWK as a key set publishes it. */
  readonly jwk: JWK;
}

export async function signingKey(alg: "RS256" | "ES256" | "EdDSA" | "PS256", kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

const now = () => Math.floor(Date.now() / 1000);

/** A token with sane defaults (iss, aud, sub, exp in 5 minutes); `claims` override them. */
export function token(key: SigningKey | Uint8Array, claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  const payload: JWTPayload = { iss: ISSUER, aud: AUDIENCE, sub: "user-1", iat: now(), exp: now() + 300, ...claims };
  const protectedHeader = key instanceof Uint8Array ? { alg: "HS256", ...header } : { alg: key.alg, kid: key.kid, ...header };
  return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(key instanceof Uint8Array ? key : key.privateKey);
}

export const hmacKey = (secret = HMAC_SECRET): Uint8Array => new TextEncoder().encode(secret);

/** Answers key-set requests for `url` from `keys()`; every other request goes to `origin`. */
export function withJwks(keys: () => readonly SigningKey[], url = JWKS_URL, origin: (request: Request) => Response = () => new Response("ok")) {
  return (request: Request): Response => (request.url === url ? Response.json({ keys: keys().map((k) => k.jwk) }) : origin(request));
}

/** A JWKS-verified JWT config for `send()`. */
export function jwksAuth(jwt: Record<string, unknown> = {}): Record<string, unknown> {
  return { jwt: { algorithms: ["RS256", "ES256", "EdDSA", "PS256"], jwks_url: JWKS_URL, issuer: ISSUER, audience: AUDIENCE, ...jwt } };
}
