/**
 * JWT verification (RFC 7519) with jose, following RFC 8725's best current
 * practices: the algorithms are pinned by config (never `none`, never HMAC
 * and public-key algorithms together), `exp` is required, `nbf`, `iss` and
 * `aud` are checked with a bounded leeway, and keys come only from the
 * configured secret or JWKS URL, never from the token.
 */
import { errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { JwtConfig } from "../config/jwt-config";
import { isConsumerId } from "./identity-headers";
import { JwksUnavailable } from "./jwks";
import { scopesFromClaims } from "./scopes";

/** The HMAC secret's bytes, or the JWKS resolver. */
export type JwtKey = Uint8Array | JWTVerifyGetKey;

export interface JwtClaims {
  readonly consumer: string;
  readonly scopes: readonly string[];
  readonly subject?: string;
}

export type JwtResult =
  | { readonly ok: true; readonly claims: JwtClaims }
  /** `cause` is for the operator's log; the client gets one detail for every failure. */
  | { readonly ok: false; readonly cause: string };

/** An unreachable JWKS is not the token's fault and is rethrown; any other failure is a verdict. */
export async function verifyJwt(token: string, key: JwtKey, config: JwtConfig, now: Date): Promise<JwtResult> {
  let payload: Record<string, unknown>;
  try {
    const result = await jwtVerify(token, key, {
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
  return {
    ok: true,
    claims: { consumer, scopes: scopesFromClaims(payload), subject: typeof sub === "string" && isConsumerId(sub) ? sub : undefined },
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const HASH_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

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
