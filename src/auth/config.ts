/**
 * Configuration of authentication (issue #4): the global `PORTCULLIS.auth`
 * table and the per-route keys `auth`, `scopes` and `pass_credentials`.
 * docs/authentication.md documents every key.
 */
import { fail, join, readBoolean, readEnum, readFieldName, readPositiveInt, readString, readStringArray, readTable, rejectUnknownKeys, type Issues } from "../config/validate";
import { parseJwtConfig, readBindingName, type JwtConfig } from "./jwt-config";
import { DIGEST, parseKeyRecord, type ApiKeyRecord } from "./key-record";
import { isScopeToken } from "./scopes";

export type AuthMode = "none" | "api_key" | "jwt" | "api_key_or_jwt";
const AUTH_MODES = ["none", "api_key", "jwt", "api_key_or_jwt"] as const;

/** Lower-case header names the origin receives the identity in. */
export interface IdentityHeaders {
  readonly consumer: string;
  readonly scopes: string;
  readonly subject: string;
}

export interface AuthConfig {
  readonly realm: string;
  /** Lower-case. Keys are also read from `Authorization: Bearer`. */
  readonly apiKeyHeader: string;
  /** Off unless set: keys in URLs end up in logs and browser history. */
  readonly apiKeyQueryParam?: string;
  /** SHA-256 digest (64 lower-case hex characters) → record. */
  readonly keys: ReadonlyMap<string, ApiKeyRecord>;
  readonly kvBinding?: string;
  readonly kvCacheTtlSeconds: number;
  readonly jwt?: JwtConfig;
  readonly identityHeaders: IdentityHeaders;
}

export interface RouteAuthSettings {
  readonly mode: AuthMode;
  /** Every one must be granted (RFC 6749 §3.3 scope tokens). */
  readonly scopes: readonly string[];
  /** Forward the client's credential to the origin (default false). */
  readonly passCredentials: boolean;
}

/** Keys a route (and [defaults]) may set for authentication. */
export const AUTH_ROUTE_KEYS: readonly string[] = ["auth", "scopes", "pass_credentials"];

const AUTH_KEYS = ["realm", "api_key_header", "api_key_query_param", "keys", "kv_binding", "kv_cache_ttl_seconds", "jwt", "identity_headers"] as const;
const IDENTITY_KEYS = ["consumer", "scopes", "subject"] as const;
const MAX_KV_CACHE_TTL_SECONDS = 300;
// RFC 9110 §11.6.1 realm as a quoted-string that needs no escaping.
const REALM = /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/;
const QUERY_PARAM = /^[A-Za-z0-9._~-]+$/;

export function parseAuthConfig(raw: unknown, path: string, issues: Issues): AuthConfig {
  const table = readTable(raw, path, issues) ?? {};
  rejectUnknownKeys(table, AUTH_KEYS, path, issues);
  const realm = readString(table.realm, join(path, "realm"), issues) ?? "portcullis";
  if (!REALM.test(realm)) fail(issues, join(path, "realm"), "printable ASCII without quotes or backslashes", realm);
  const apiKeyHeader = readFieldName(table.api_key_header, join(path, "api_key_header"), issues) ?? "x-api-key";
  const apiKeyQueryParam = readString(table.api_key_query_param, join(path, "api_key_query_param"), issues);
  if (apiKeyQueryParam !== undefined && !QUERY_PARAM.test(apiKeyQueryParam)) {
    fail(issues, join(path, "api_key_query_param"), "a parameter name of letters, digits and . _ ~ -", apiKeyQueryParam);
  }
  const identityHeaders = parseIdentityHeaders(table.identity_headers, join(path, "identity_headers"), issues);
  const reserved = ["authorization", apiKeyHeader];
  for (const [key, name] of Object.entries(identityHeaders)) {
    if (reserved.includes(name)) issues.push(`${join(path, `identity_headers.${key}`)}: must differ from Authorization and api_key_header, got ${JSON.stringify(name)}`);
  }
  if (apiKeyHeader === "authorization") issues.push(`${join(path, "api_key_header")}: keys are read from "Authorization: Bearer" already; name another header, e.g. "X-API-Key"`);
  const jwtTable = readTable(table.jwt, join(path, "jwt"), issues);
  return {
    realm,
    apiKeyHeader,
    apiKeyQueryParam,
    keys: parseKeys(table.keys, join(path, "keys"), issues),
    kvBinding: readBindingName(table.kv_binding, join(path, "kv_binding"), issues),
    kvCacheTtlSeconds: readPositiveInt(table.kv_cache_ttl_seconds, join(path, "kv_cache_ttl_seconds"), issues, MAX_KV_CACHE_TTL_SECONDS) ?? 30,
    jwt: jwtTable === undefined ? undefined : parseJwtConfig(jwtTable, join(path, "jwt"), issues),
    identityHeaders,
  };
}

function parseIdentityHeaders(raw: unknown, path: string, issues: Issues): IdentityHeaders {
  const table = readTable(raw, path, issues) ?? {};
  rejectUnknownKeys(table, IDENTITY_KEYS, path, issues);
  const headers = {
    consumer: readFieldName(table.consumer, join(path, "consumer"), issues) ?? "x-consumer-id",
    scopes: readFieldName(table.scopes, join(path, "scopes"), issues) ?? "x-consumer-scopes",
    subject: readFieldName(table.subject, join(path, "subject"), issues) ?? "x-auth-subject",
  };
  if (new Set(Object.values(headers)).size !== 3) issues.push(`${path}: consumer, scopes and subject must be three different headers`);
  return headers;
}

function parseKeys(raw: unknown, path: string, issues: Issues): ReadonlyMap<string, ApiKeyRecord> {
  const keys = new Map<string, ApiKeyRecord>();
  const table = readTable(raw, path, issues);
  for (const [digest, value] of Object.entries(table ?? {})) {
    const where = `${path}.${digest}`;
    if (!DIGEST.test(digest)) {
      issues.push(`${where}: expected the SHA-256 hex digest of a key (64 lower-case hex characters, as npm run keygen prints), never the key itself`);
      continue;
    }
    const record = parseKeyRecord(value, where, issues);
    if (record !== undefined) keys.set(digest, record);
  }
  return keys;
}

export function parseRouteAuth(
  table: Record<string, unknown>,
  path: string,
  issues: Issues,
  inherited: RouteAuthSettings | undefined,
  global: AuthConfig,
): RouteAuthSettings {
  const mode = readEnum(table.auth, join(path, "auth"), issues, AUTH_MODES);
  const scopes = readStringArray(table.scopes, join(path, "scopes"), issues);
  scopes?.forEach((scope, i) => {
    if (!isScopeToken(scope)) fail(issues, `${join(path, "scopes")}[${i}]`, "a scope token (printable ASCII without spaces, quotes or backslashes, RFC 6749 §3.3)", scope);
  });
  const settings: RouteAuthSettings = {
    mode: mode ?? inherited?.mode ?? "none",
    scopes: scopes ?? inherited?.scopes ?? [],
    passCredentials: readBoolean(table.pass_credentials, join(path, "pass_credentials"), issues) ?? inherited?.passCredentials ?? false,
  };
  // Checked where the mode is written, so an inherited mistake is named once.
  if (mode === "api_key" || mode === "api_key_or_jwt") {
    if (global.keys.size === 0 && global.kvBinding === undefined) {
      issues.push(`${join(path, "auth")}: ${JSON.stringify(mode)} needs API keys: set auth.keys or auth.kv_binding`);
    }
  }
  if ((mode === "jwt" || mode === "api_key_or_jwt") && global.jwt === undefined) {
    issues.push(`${join(path, "auth")}: ${JSON.stringify(mode)} needs the [auth.jwt] table (algorithms and a secret_binding or jwks_url)`);
  }
  if (scopes !== undefined && scopes.length > 0 && settings.mode === "none") {
    issues.push(`${join(path, "scopes")}: only meaningful with auth = "api_key", "jwt" or "api_key_or_jwt"; this route is public`);
  }
  return settings;
}
