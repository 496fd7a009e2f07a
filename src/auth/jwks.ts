/**
 * A JSON Web Key Set fetched from the issuer's `jwks_url` (RFC 7517 §5) and
 * cached per isolate, so signing keys rotate without a redeploy:
 * - keys are used for at most `maxAgeMs` after they were fetched, so a key
 *   removed from the set stops being accepted within that time;
 * - a token whose `kid` matches no cached key triggers one refetch, but at
 *   most one fetch per `cooldownMs` (random kids cannot hammer the issuer);
 * - a failed fetch is not retried within the cooldown either;
 * - every fetch belongs to the request that needs it: a request never waits
 *   for a fetch another request started (workerd cancels such a request as
 *   hung). Concurrent requests on a cold isolate may each fetch once; the
 *   first answer is kept for all that follow.
 * Only keys from this URL are ever used: `jku`, `x5u`, `x5c` and `jwk` token
 * headers are never fetched or trusted (RFC 8725 §3.10).
 */
import { createLocalJWKSet, errors, type FlattenedJWSInput, type JWSHeaderParameters, type LocalJWKSet } from "jose";
import { describeError } from "../http-syntax";
import { readAtMost, streamChunks } from "../read-bounded";

export interface JwksOptions {
  readonly cooldownMs: number;
  readonly maxAgeMs: number;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** The key set cannot be fetched and no fresh copy is cached: the issuer, not the client, is at fault. */
export class JwksUnavailable extends Error {
  override readonly name = "JwksUnavailable";
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

const MAX_JWKS_BYTES = 256 * 1024;

export class JwksCache {
  readonly #url: string;
  readonly #options: Required<Omit<JwksOptions, "fetch" | "now">>;
  readonly #now: () => number;
  readonly #fetch: (url: string, init: RequestInit) => Promise<Response>;
  #keys: LocalJWKSet | undefined;
  #fetchedAt = 0;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  /** When the last failed attempt started; a failure is not retried within the cooldown. */
  #failedAt = Number.NEGATIVE_INFINITY;
  #lastFailure = "";
  #fetches = 0;

  constructor(url: string, options: JwksOptions) {
    this.#url = url;
    this.#options = { cooldownMs: options.cooldownMs, maxAgeMs: options.maxAgeMs, timeoutMs: options.timeoutMs ?? 5000 };
    this.#now = options.now ?? (() => Date.now());
    // Looked up per call, not captured: the global fetch may be replaced (tests route it).
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** A key resolver for jose's jwtVerify. */
  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    if (this.#keys === undefined || this.#now() - this.#fetchedAt >= this.#options.maxAgeMs) {
      this.#keys = undefined;
      // No keys: this request fetches them itself, even while another request's
      // fetch is under way (it must not wait for that one), unless one failed lately.
      if (this.#now() - this.#failedAt >= this.#options.cooldownMs) await this.#load();
    }
    try {
      return await this.#current()(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.#coolingDown()) throw error;
      await this.#load(); // maybe a key published since the last fetch
      return this.#current()(header, token);
    }
  };

  /** When the keys held now stop being used (their fetch plus maxAgeMs); 0 without keys. */
  get keysExpireAt(): number {
    return this.#keys === undefined ? 0 : this.#fetchedAt + this.#options.maxAgeMs;
  }

  /** How many fetches were started (for tests). */
  get fetches(): number {
    return this.#fetches;
  }

  #current(): LocalJWKSet {
    if (this.#keys !== undefined) return this.#keys;
    throw new JwksUnavailable(`JWKS ${this.#url} unavailable: ${this.#lastFailure}`, this.#retryAfterSeconds());
  }

  #coolingDown(): boolean {
    return this.#now() - this.#attemptedAt < this.#options.cooldownMs;
  }

  #retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.#failedAt + this.#options.cooldownMs - this.#now()) / 1000));
  }

  /** One fetch of the set, owned by the calling request. */
  async #load(): Promise<void> {
    const attemptedAt = this.#now();
    this.#attemptedAt = attemptedAt;
    this.#fetches++;
    try {
      const response = await this.#fetch(this.#url, {
        headers: { accept: "application/jwk-set+json, application/json" },
        // A redirect could lead anywhere; the configured URL must answer itself.
        redirect: "manual",
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      const text = await readBounded(response, MAX_JWKS_BYTES);
      this.#keys = createLocalJWKSet(JSON.parse(text));
      this.#fetchedAt = this.#now();
    } catch (error) {
      this.#failedAt = attemptedAt;
      this.#lastFailure = describeError(error);
    }
  }
}

/** The body as text, refusing (without buffering it) one larger than `limit` bytes. */
async function readBounded(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return "";
  const { bytes, truncated } = await readAtMost(streamChunks(reader), limit);
  await reader.cancel().catch(() => undefined);
  if (truncated) throw new Error(`key set larger than ${limit} bytes`);
  return new TextDecoder().decode(bytes);
}
