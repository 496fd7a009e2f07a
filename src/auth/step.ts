/**
 * Decides who is calling, per route (`auth = "none" | "api_key" | "jwt" |
 * "api_key_or_jwt"`), so the origin never sees an unauthenticated request on
 * a protected route. Answers follow RFC 6750 §3 (401/400/403 with a Bearer
 * challenge). On every route, public ones included, the origin receives
 * only the identity the gateway established: client-sent identity headers
 * and (unless `pass_credentials`) the credential itself are removed.
 */
import type { MiddlewareHandler } from "hono";
import { staticKeys, verifyApiKey, type KeyLookup } from "../auth/api-keys";
import { kvBinding, misconfigured, secretBinding } from "../auth/bindings";
import { looksLikeJwt, readCredentials } from "../auth/credentials";
import { upstreamRewrite } from "../auth/identity-headers";
import { JwksUnavailable, jwksCache } from "../auth/jwks";
import { hmacSecret, verifyJwt, type JwtKey } from "../auth/jwt";
import { InvalidKeyRecord, kvKeyStore } from "../auth/kv-key-store";
import { missingScopes } from "../auth/scopes";
import { insufficientScope, invalidCredentials, malformedCredentials, missingCredentials } from "../auth/www-authenticate";
import type { AuthConfig, RouteAuthSettings } from "../config/auth-config";
import type { JwtConfig } from "../config/jwt-config";
import type { GatewayEnv, Identity, RequestLog } from "../context";
import { GatewayError } from "../problems";

export function authenticate(): MiddlewareHandler<GatewayEnv> {
  return async function authenticate(c, next) {
    const config = c.get("config");
    const route = c.get("route");
    const log = c.get("log");
    const settings = route.settings.auth;
    let identity: Identity | undefined;
    if (settings.mode !== "none") {
      identity = await identify(c.req.raw, c.env, config.auth, settings, log);
      const missing = missingScopes(settings.scopes, identity.scopes);
      if (missing.length > 0) {
        throw insufficientScope(config.auth.realm, settings.scopes, `consumer ${JSON.stringify(identity.consumer)} lacks scope(s) ${missing.join(" ")}`);
      }
      c.set("identity", identity);
      log.consumer = identity.consumer;
      log.auth_method = identity.method;
    }
    c.set("upstreamRewrite", upstreamRewrite(c.req.url, config.auth, settings, identity));
    await next();
  };
}

async function identify(request: Request, env: object, auth: AuthConfig, settings: RouteAuthSettings, log: RequestLog): Promise<Identity> {
  const readsApiKeys = settings.mode !== "jwt";
  const presented = readCredentials(request.headers, request.url, { apiKeyHeader: auth.apiKeyHeader, apiKeyQueryParam: auth.apiKeyQueryParam, readsApiKeys });
  switch (presented.kind) {
    case "none":
      throw missingCredentials(auth.realm);
    case "malformed":
      throw malformedCredentials(auth.realm, presented.detail);
    case "api_key":
      return apiKeyIdentity(presented.key, env, auth, log);
    case "bearer": {
      const jwt = auth.jwt;
      const asJwt = settings.mode === "jwt" || (settings.mode === "api_key_or_jwt" && looksLikeJwt(presented.token));
      if (!asJwt || jwt === undefined) return apiKeyIdentity(presented.token, env, auth, log);
      return jwtIdentity(presented.token, env, auth.realm, jwt);
    }
  }
}

async function apiKeyIdentity(key: string, env: object, auth: AuthConfig, log: RequestLog): Promise<Identity> {
  const sources: KeyLookup[] = [staticKeys(auth.keys)];
  if (auth.kvBinding !== undefined) sources.push(kvKeyStore(kvBinding(env, auth.kvBinding), auth.kvCacheTtlSeconds, auth.kvBinding));
  const result = await verifyApiKey(key, sources, Date.now()).catch((error: unknown) => {
    throw error instanceof InvalidKeyRecord ? misconfigured(error.message) : error;
  });
  if (!result.ok) throw invalidCredentials(auth.realm, result.cause);
  // Which of a consumer's keys was used: the digest's first 12 hex digits, never the key.
  log.key_id = result.keyId;
  const { consumer, scopes, tier } = result.record;
  return { consumer, scopes, method: "api_key", tier };
}

async function jwtIdentity(token: string, env: object, realm: string, jwt: JwtConfig): Promise<Identity> {
  let key: JwtKey;
  if (jwt.key.kind === "secret") {
    const secret = hmacSecret(secretBinding(env, jwt.key.binding), jwt.algorithms);
    if (typeof secret === "string") throw misconfigured(`auth.jwt.secret_binding "${jwt.key.binding}": ${secret}`);
    key = secret;
  } else {
    key = jwksCache(jwt.key.url, jwt.key.cooldownSeconds, jwt.key.maxAgeSeconds).getKey;
  }
  const result = await verifyJwt(token, key, jwt, new Date()).catch((error: unknown) => {
    if (!(error instanceof JwksUnavailable)) throw error;
    // The issuer's key set is unreachable: a dependency failure, not the client's (RFC 9110 §15.6.4).
    throw new GatewayError("service-unavailable", "The gateway cannot verify tokens right now; try again shortly.", {
      headers: { "retry-after": String(error.retryAfterSeconds) },
      cause: error.message,
    });
  });
  if (!result.ok) throw invalidCredentials(realm, result.cause);
  const { consumer, scopes, subject } = result.claims;
  return { consumer, scopes, method: "jwt", subject };
}
