/**
 * The `PORTCULLIS.auth.jwt` table: how bearer JWTs are verified. Validation
 * enforces RFC 8725's hardening at deploy time, so no mistake reaches a request.
 */
import {
  fail,
  join,
  readHttpUrl,
  readNonNegativeInt,
  readPositiveInt,
  readString,
  readStringArray,
  rejectUnknownKeys,
  type Issues,
} from "../config/validate";

const HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
const PUBLIC_KEY_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"] as const;
const ALGORITHMS: readonly string[] = [...HMAC_ALGORITHMS, ...PUBLIC_KEY_ALGORITHMS];

export type JwtKeySource =
  /** A `wrangler secret` holding the HMAC key. */
  | { readonly kind: "secret"; readonly binding: string }
  | { readonly kind: "jwks"; readonly url: string; readonly cooldownSeconds: number; readonly maxAgeSeconds: number };

export interface JwtConfig {
  readonly algorithms: readonly string[];
  readonly key: JwtKeySource;
  readonly issuer?: readonly string[];
  readonly audience?: readonly string[];
  readonly leewaySeconds: number;
  readonly consumerClaim: string;
}

const JWT_KEYS = ["algorithms", "secret_binding", "jwks_url", "jwks_cooldown_seconds", "jwks_max_age_seconds", "issuer", "audience", "leeway_seconds", "consumer_claim"] as const;
const MAX_LEEWAY_SECONDS = 300;
const MAX_COOLDOWN_SECONDS = 300;
const MAX_JWKS_AGE_SECONDS = 86_400;
const BINDING = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Always returns a value when the table is present, so callers know JWT is configured; issues make the config invalid anyway. */
export function parseJwtConfig(table: Record<string, unknown>, path: string, issues: Issues): JwtConfig {
  rejectUnknownKeys(table, JWT_KEYS, path, issues);
  const algorithms = readAlgorithms(table.algorithms, join(path, "algorithms"), issues);
  const hmac = algorithms.some((alg) => (HMAC_ALGORITHMS as readonly string[]).includes(alg));
  const publicKey = algorithms.some((alg) => (PUBLIC_KEY_ALGORITHMS as readonly string[]).includes(alg));
  if (hmac && publicKey) {
    // RFC 8725 §2.1 and §3.1: with both families allowed, a token signed with HMAC
    // using the (public) verification key as secret could be accepted.
    issues.push(`${join(path, "algorithms")}: mixes HMAC (HS*) and public-key algorithms; one family per gateway, so an HMAC token can never be checked against public key material (RFC 8725 §2.1)`);
  }

  const secretBinding = readBindingName(table.secret_binding, join(path, "secret_binding"), issues);
  const jwksUrl = readJwksUrl(table.jwks_url, join(path, "jwks_url"), issues);
  const cooldownSeconds = readPositiveInt(table.jwks_cooldown_seconds, join(path, "jwks_cooldown_seconds"), issues, MAX_COOLDOWN_SECONDS) ?? 30;
  const maxAgeSeconds = readPositiveInt(table.jwks_max_age_seconds, join(path, "jwks_max_age_seconds"), issues, MAX_JWKS_AGE_SECONDS) ?? 600;
  if (maxAgeSeconds < cooldownSeconds) issues.push(`${join(path, "jwks_max_age_seconds")}: must be at least jwks_cooldown_seconds (${cooldownSeconds}), got ${maxAgeSeconds}`);
  const issuer = readOneOrMore(table.issuer, join(path, "issuer"), issues);
  const audience = readOneOrMore(table.audience, join(path, "audience"), issues);

  if (hmac && secretBinding === undefined && table.secret_binding === undefined) {
    issues.push(`${join(path, "secret_binding")}: required with HS* algorithms: the name of the wrangler secret holding the HMAC key (wrangler secret put JWT_SECRET)`);
  }
  if (publicKey && !hmac && table.secret_binding !== undefined) issues.push(`${join(path, "secret_binding")}: only used with HS* algorithms; public-key algorithms take jwks_url`);
  if (publicKey && jwksUrl === undefined && table.jwks_url === undefined) {
    issues.push(`${join(path, "jwks_url")}: required with public-key algorithms: the issuer's JSON Web Key Set URL`);
  }
  if (hmac && !publicKey && table.jwks_url !== undefined) issues.push(`${join(path, "jwks_url")}: only used with public-key algorithms; HS* algorithms take secret_binding`);
  if (publicKey) {
    // RFC 8725 §3.8-3.9: a key set shared by many services must not let one service's token in at another.
    if (table.issuer === undefined) issues.push(`${join(path, "issuer")}: required with jwks_url: the "iss" your issuer puts in tokens (RFC 8725 §3.8)`);
    if (table.audience === undefined) issues.push(`${join(path, "audience")}: required with jwks_url: the "aud" tokens for this API carry (RFC 8725 §3.9)`);
  }
  for (const key of ["jwks_cooldown_seconds", "jwks_max_age_seconds"] as const) {
    if (hmac && !publicKey && table[key] !== undefined) issues.push(`${join(path, key)}: only used with jwks_url`);
  }

  const leewaySeconds = readNonNegativeInt(table.leeway_seconds, join(path, "leeway_seconds"), issues) ?? 30;
  if (leewaySeconds > MAX_LEEWAY_SECONDS) fail(issues, join(path, "leeway_seconds"), `at most ${MAX_LEEWAY_SECONDS}`, leewaySeconds);
  const consumerClaim = readString(table.consumer_claim, join(path, "consumer_claim"), issues) ?? "sub";

  const key: JwtKeySource = publicKey
    ? { kind: "jwks", url: jwksUrl ?? "", cooldownSeconds, maxAgeSeconds }
    : { kind: "secret", binding: secretBinding ?? "" };
  return {
    algorithms,
    key,
    issuer,
    audience,
    leewaySeconds,
    consumerClaim,
  };
}

function readAlgorithms(value: unknown, path: string, issues: Issues): string[] {
  if (value === undefined) {
    issues.push(`${path}: required: the algorithms your issuer signs with, e.g. ["RS256"] or ["HS256"]`);
    return [];
  }
  const algorithms = readStringArray(value, path, issues) ?? [];
  if (Array.isArray(value) && value.length === 0) issues.push(`${path}: expected at least one algorithm`);
  const valid: string[] = [];
  algorithms.forEach((alg, i) => {
    if (alg.toLowerCase() === "none") {
      issues.push(`${path}[${i}]: "none" is never accepted: unsigned tokens would let anyone in (RFC 8725 §3.1)`);
    } else if (!ALGORITHMS.includes(alg)) {
      fail(issues, `${path}[${i}]`, `one of ${ALGORITHMS.map((a) => JSON.stringify(a)).join(", ")}`, alg);
    } else {
      valid.push(alg);
    }
  });
  return [...new Set(valid)];
}

export function readBindingName(value: unknown, path: string, issues: Issues): string | undefined {
  const name = readString(value, path, issues);
  if (name !== undefined && !BINDING.test(name)) return fail(issues, path, "a binding name such as \"JWT_SECRET\"", name);
  return name;
}

/** https, or plain http to a loopback address (local development). */
function readJwksUrl(value: unknown, path: string, issues: Issues): string | undefined {
  const url = readHttpUrl(value, path, issues);
  if (url === undefined) return undefined;
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !loopback) return fail(issues, path, "an https URL (plain http only for localhost)", value);
  return url.href;
}

function readOneOrMore(value: unknown, path: string, issues: Issues): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return readString(value, path, issues) === undefined ? undefined : [value];
  if (!Array.isArray(value)) return fail(issues, path, "a string or an array of strings", value);
  const values = readStringArray(value, path, issues);
  if (values !== undefined && values.length === 0) return fail(issues, path, "a string or a non-empty array of strings", value);
  return values;
}
