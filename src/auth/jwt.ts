/**
 * JWT verification (RFC 7519) with jose, following RFC 8725's best current
 * practices: the algorithms are pinned by config (never `none`, never HMAC
 * and public-key algorithms together), `exp` is required, `nbf`, `iss` and
 * `aud` are checked with a bounded leeway, and keys come only from the
 * configured secret or JWKS URL, never from the token.
 *
 * A JwtVerifier is built once per compiled gateway: its HMAC keys are
 * imported once per secret, its JWKS client keeps the key set, and a token it
 * verified is remembered by its SHA-256 until it expires (or until the key
 * set it was checked against does), so a client repeating its token costs a
 * lookup, not a signature check.
 */
import { errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { ExpiringCache } from "../expiring-cache";
import { describeError } from "../http-syntax";
import { misconfigured, secretBinding } from "./bindings";
import { JwksCache, JwksUnavailable } from "./jwks";
import { isConsumerId } from "./identity";
import type { JwtConfig } from "./jwt-config";
import { scopesFromClaims } from "./scopes";

export interface JwtClaims {
  readonly consumer: string;
  readonly scopes: readonly string[];
  readonly subject?: string;
}

export type JwtResult =
  | { readonly ok: true; readonly claims: JwtClaims }
  /** `cause` is for the operator's log; the client gets one detail for every failure. */
  | { readonly ok: false; readonly cause: string };

/** The HMAC secret's bytes, or the JWKS resolver. */
export type JwtKey = Uint8Array | CryptoKey | JWTVerifyGetKey;

const HASH_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };
const VERIFIED_TOKENS = 10_000;
/** The longest a verification of an HMAC token is reused (a JWKS key set sets its own bound). */
const MAX_REUSE_MS = 300_000;

/**
 * The secret's bytes, or why it cannot be used. RFC 7518 §3.2: a key of the
 * same size as the hash output or larger MUST be used with HS256/384/512.
 */
export function hmacSecret(secret: string, algorithms: readonly string[]): Uint8Array | string {
  const bytes = new TextEncoder().encode(secret);
  const needed = Math.max(...algorithms.map((alg) => HASH_BYTES[alg] ?? 0));
  if (bytes.byteLength < needed) return `the HMAC secret has ${bytes.byteLength} bytes; ${algorithms.join("/")} need at least ${needed} (RFC 7518 §3.2)`;
  return bytes;
}

/** An unreachable JWKS is not the token's fault and is rethrown; any other failure is a verdict. */
export async function verifyJwt(token: string, key: JwtKey, config: JwtConfig, now: Date): Promise<JwtResult & { expiresAt?: number }> {
  let payload: Record<string, unknown>;
  try {
    const result = await jwtVerify(token, key as JWTVerifyGetKey, {
      algorithms: [...config.algorithms],
      issuer: config.issuer === undefined ? undefined : [...config.issuer],
      audience: config.audience === undefined ? undefined : [...config.audience],
      clockTolerance: config.leewaySeconds,
      currentDate: now,
      // RFC 8725 §3.10 asks for expiring tokens; one without `exp` would be valid forever.
      requiredClaims: ["exp"],
    });
    payload = result.payload;
  } catch (error) {
    if (error instanceof JwksUnavailable) throw error;
    return { ok: false, cause: `JWT rejected: ${describe(error)}` };
  }
  const consumer = payload[config.consumerClaim];
  if (typeof consumer !== "string" || !isConsumerId(consumer)) {
    return { ok: false, cause: `JWT claim ${JSON.stringify(config.consumerClaim)} is missing or not a usable consumer id (1-256 printable ASCII characters)` };
  }
  const sub = payload.sub;
  const exp = typeof payload.exp === "number" ? payload.exp : 0;
  return {
    ok: true,
    claims: { consumer, scopes: scopesFromClaims(payload), subject: typeof sub === "string" && isConsumerId(sub) ? sub : undefined },
    // jose accepts it until exp + leeway; so may the cache.
    expiresAt: (exp + config.leewaySeconds) * 1000,
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  return describeError(error);
}

export class JwtVerifier {
  readonly #config: JwtConfig;
  readonly #jwks: JwksCache | undefined;
  readonly #verified = new ExpiringCache<JwtClaims>(VERIFIED_TOKENS);
  /** The HMAC keys of one secret, imported once (per algorithm, as each names its hash). */
  #hmac: { secret: string; keys: Map<string, CryptoKey> } | undefined;

  constructor(config: JwtConfig) {
    this.#config = config;
    this.#jwks = config.key.kind === "jwks"
      ? new JwksCache(config.key.url, { cooldownMs: config.key.cooldownSeconds * 1000, maxAgeMs: config.key.maxAgeSeconds * 1000 })
      : undefined;
  }

  /** `digestHex`: the token's SHA-256, from the request's one reading of its credential. */
  async verify(token: string, digestHex: string, env: object): Promise<JwtResult> {
    const claims = this.#verified.get(digestHex);
    if (claims !== undefined) return { ok: true, claims };
    const now = Date.now();
    const key = this.#jwks?.getKey ?? (await this.#hmacKey(env, token));
    const result = await verifyJwt(token, key, this.#config, new Date(now));
    if (result.ok && result.expiresAt !== undefined) {
      const until = Math.min(result.expiresAt, this.#jwks?.keysExpireAt ?? now + MAX_REUSE_MS);
      if (until > now) this.#verified.setUntil(digestHex, result.claims, until);
    }
    return result.ok ? { ok: true, claims: result.claims } : result;
  }

  async #hmacKey(env: object, token: string): Promise<CryptoKey | Uint8Array> {
    const { key } = this.#config;
    if (key.kind !== "secret") throw misconfigured("auth.jwt has neither a secret_binding nor a jwks_url");
    const secret = secretBinding(env, key.binding);
    const bytes = hmacSecret(secret, this.#config.algorithms);
    if (typeof bytes === "string") throw misconfigured(`auth.jwt.secret_binding "${key.binding}": ${bytes}`);
    const alg = headerAlg(token);
    // An algorithm outside the pinned list gets the raw bytes: jose refuses it by the list.
    const hash = alg !== undefined && this.#config.algorithms.includes(alg) ? HASH_BYTES[alg] : undefined;
    if (alg === undefined || hash === undefined) return bytes;
    if (this.#hmac?.secret !== secret) this.#hmac = { secret, keys: new Map() };
    const cached = this.#hmac.keys.get(alg);
    if (cached !== undefined) return cached;
    // Each request imports for itself if it finds none: only the finished CryptoKey is shared.
    const imported = await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: `SHA-${hash * 8}` }, false, ["verify"]);
    this.#hmac.keys.set(alg, imported);
    return imported;
  }
}

/** The `alg` of a compact JWS's protected header, if it can be read. */
function headerAlg(token: string): string | undefined {
  const dot = token.indexOf(".");
  if (dot <= 0) return undefined;
  try {
    const header: unknown = JSON.parse(atob(token.slice(0, dot).replace(/-/g, "+").replace(/_/g, "/")));
    const alg = typeof header === "object" && header !== null ? Reflect.get(header, "alg") : undefined;
    return typeof alg === "string" ? alg : undefined;
  } catch {
    return undefined;
  }
}
