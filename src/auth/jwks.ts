/**
 * A JSON Web Key Set fetched from the issuer's `jwks_url` (RFC 7517 §5) and
 * cached per isolate, so signing keys rotate without a redeploy:
 * - keys are used for at most `maxAgeMs` after they were fetched, so a key
 *   removed from the set stops being accepted within that time;
 * - a token whose `kid` matches no cached key triggers one refetch, but at
 *   most one fetch per `cooldownMs` (random kids cannot hammer the issuer);
 * - a failed fetch is not retried within the cooldown either.
 * Only keys from this URL are ever used: `jku`, `x5u`, `x5c` and `jwk` token
 * headers are never fetched or trusted (RFC 8725 §3.10).
 */
import { createLocalJWKSet, errors, type FlattenedJWSInput, type JWSHeaderParameters, type LocalJWKSet } from "jose";

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
  #lastFailure = "";
  #inflight: Promise<void> | undefined;
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
      await this.#refresh();
    }
    try {
      return await this.#current()(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.#coolingDown()) throw error;
      await this.#refresh(); // maybe a key published since the last fetch
      return this.#current()(header, token);
    }
  };

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
    return Math.max(1, Math.ceil((this.#attemptedAt + this.#options.cooldownMs - this.#now()) / 1000));
  }

  async #refresh(): Promise<void> {
    // Concurrent requests share one fetch; none starts within the cooldown.
    if (this.#inflight === undefined && !this.#coolingDown()) {
      this.#inflight = this.#load().finally(() => {
        this.#inflight = undefined;
      });
    }
    await this.#inflight;
  }

  async #load(): Promise<void> {
    this.#attemptedAt = this.#now();
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
      this.#lastFailure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
}

/** The body as text, refusing (without buffering it) one larger than `limit` bytes. */
async function readBounded(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new Error(`key set larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

// One cache per URL and timing settings, kept for the isolate's life.
const caches = new Map<string, JwksCache>();
const MAX_CACHES = 32;

export function jwksCache(url: string, cooldownSeconds: number, maxAgeSeconds: number): JwksCache {
  const id = `${url} ${cooldownSeconds} ${maxAgeSeconds}`;
  let cache = caches.get(id);
  if (cache === undefined) {
    if (caches.size >= MAX_CACHES) caches.clear();
    cache = new JwksCache(url, { cooldownMs: cooldownSeconds * 1000, maxAgeMs: maxAgeSeconds * 1000 });
    caches.set(id, cache);
  }
  return cache;
}
