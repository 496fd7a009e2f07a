/**
 * Decides who presents a credential, compiled once per gateway from the
 * `auth` table: the configured keys looked up by digest, the KV store of each
 * bound namespace, the JWT verifier with its imported keys and caches. A
 * request only looks things up in it.
 *
 * Answers follow RFC 6750 §3: no credential → 401 with a bare challenge; a
 * credential that is not valid syntax → 400 invalid_request; one that is not
 * valid → 401 invalid_token, with one public detail for every reason (the
 * reason goes to the log). A refused credential is an attempt the lockout
 * counts; a missing or malformed one is not (it guesses nothing).
 */
import { perIsolate } from "../isolate";
import { GatewayError } from "../problems";
import { staticKeys, verifyApiKey, type KeyLookup } from "./api-keys";
import { kvBinding, misconfigured } from "./bindings";
import type { AuthConfig, AuthMode } from "./config";
import { looksLikeJwt, type Credential } from "./credentials";
import type { Identity } from "./identity";
import { JwksUnavailable } from "./jwks";
import { JwtVerifier, type JwtResult } from "./jwt";
import { InvalidKeyRecord, KvKeyStore } from "./kv-key-store";
import { invalidCredentials, malformedCredentials, missingCredentials } from "./www-authenticate";

export type Verdict =
  | { readonly ok: true; readonly identity: Identity; /** Which key: its digest's first 12 hex digits. */ readonly keyId?: string }
  | { readonly ok: false; readonly error: GatewayError; /** A presented credential was refused: the lockout counts it. */ readonly attempt: boolean };

// One store per bound namespace for the isolate's life, whatever configuration
// is compiled (replaced if its TTL changes): what it has read stays cached.
const kvStores = perIsolate(() => new WeakMap<KVNamespace, { ttlMs: number; store: KvKeyStore }>());

export class Authenticator {
  readonly #config: AuthConfig;
  readonly #staticKeys: KeyLookup;
  readonly #jwt: JwtVerifier | undefined;

  constructor(config: AuthConfig) {
    this.#config = config;
    this.#staticKeys = staticKeys(config.keys);
    this.#jwt = config.jwt === undefined ? undefined : new JwtVerifier(config.jwt);
  }

  async identify(credential: Credential, mode: AuthMode, env: object): Promise<Verdict> {
    const realm = this.#config.realm;
    switch (credential.kind) {
      case "none":
        return { ok: false, error: missingCredentials(realm), attempt: false };
      case "malformed":
        return { ok: false, error: malformedCredentials(realm, credential.detail), attempt: false };
      case "api_key":
        return this.#apiKey(credential, env);
      case "bearer": {
        const asJwt = mode === "jwt" || (mode === "api_key_or_jwt" && looksLikeJwt(credential.value));
        return asJwt && this.#jwt !== undefined ? this.#jwtIdentity(this.#jwt, credential.value, credential.digestHex, env) : this.#apiKey(credential, env);
      }
    }
  }

  async #apiKey(key: { digest: Uint8Array; digestHex: string }, env: object): Promise<Verdict> {
    const sources = [this.#staticKeys];
    const binding = this.#config.kvBinding;
    if (binding !== undefined) sources.push(this.#kvStore(kvBinding(env, binding), binding));
    const result = await verifyApiKey(key, sources, Date.now()).catch((error: unknown) => {
      throw error instanceof InvalidKeyRecord ? misconfigured(error.message) : error;
    });
    if (!result.ok) return { ok: false, error: invalidCredentials(this.#config.realm, result.cause), attempt: true };
    const { consumer, scopes, tier } = result.record;
    return { ok: true, identity: { consumer, scopes, method: "api_key", tier }, keyId: result.keyId };
  }

  #kvStore(kv: KVNamespace, name: string): KvKeyStore {
    const ttlMs = this.#config.kvCacheTtlSeconds * 1000;
    const stores = kvStores.get();
    const existing = stores.get(kv);
    if (existing !== undefined && existing.ttlMs === ttlMs) return existing.store;
    const store = new KvKeyStore(kv, { ttlMs, name });
    stores.set(kv, { ttlMs, store });
    return store;
  }

  async #jwtIdentity(verifier: JwtVerifier, token: string, digestHex: string, env: object): Promise<Verdict> {
    let result: JwtResult;
    try {
      result = await verifier.verify(token, digestHex, env);
    } catch (error) {
      if (!(error instanceof JwksUnavailable)) throw error;
      // The issuer's key set is unreachable: a dependency failure, not the client's (RFC 9110 §15.6.4).
      throw new GatewayError("service-unavailable", "The gateway cannot verify tokens right now; try again shortly.", {
        headers: { "retry-after": String(error.retryAfterSeconds) },
        cause: error.message,
      });
    }
    if (!result.ok) return { ok: false, error: invalidCredentials(this.#config.realm, result.cause), attempt: true };
    const { consumer, scopes, subject } = result.claims;
    return { ok: true, identity: { consumer, scopes, method: "jwt", subject } };
  }
}
