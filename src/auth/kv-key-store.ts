/**
 * API-key records in a KV namespace (digest → the record's JSON), for keys
 * added and revoked without a redeploy. Reads are cached per isolate for
 * `ttlMs`, so a revocation takes effect within that time (plus KV's own
 * propagation delay). Unknown digests are cached too, briefly and in a cache
 * of their own, so a client repeating a bad key does not cost a KV read each
 * time and a flood of bad keys cannot evict the good ones.
 */
import { fromHex } from "../digest";
import { ExpiringCache } from "../expiring-cache";
import type { KeyLookup, StoredKey } from "./api-keys";
import { parseKeyRecord } from "./key-record";

export interface KvKeyStoreOptions {
  readonly ttlMs: number;
  /** How long an unknown digest is remembered; at most `ttlMs`. */
  readonly missTtlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
  /** Names the namespace in error messages. */
  readonly name?: string;
}

const MISS_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/** A KV record that is not valid JSON of a key record: the operator's mistake, answered with a 500. */
export class InvalidKeyRecord extends Error {
  override readonly name = "InvalidKeyRecord";
}

export class KvKeyStore implements KeyLookup {
  readonly #kv: KVNamespace;
  readonly #hits: ExpiringCache<StoredKey>;
  readonly #misses: ExpiringCache<true>;
  readonly #ttlMs: number;
  readonly #missTtlMs: number;
  readonly #name: string;

  constructor(kv: KVNamespace, options: KvKeyStoreOptions) {
    const maxEntries = options.maxEntries ?? MAX_ENTRIES;
    this.#kv = kv;
    this.#hits = new ExpiringCache(maxEntries, options.now);
    this.#misses = new ExpiringCache(maxEntries, options.now);
    this.#ttlMs = options.ttlMs;
    this.#missTtlMs = Math.min(options.missTtlMs ?? MISS_TTL_MS, options.ttlMs);
    this.#name = options.name ?? "KV";
  }

  async get(digest: string): Promise<StoredKey | undefined> {
    const hit = this.#hits.get(digest);
    if (hit !== undefined) return hit;
    if (this.#misses.get(digest) === true) return undefined;
    const text = await this.#kv.get(digest, "text");
    if (text === null) {
      this.#misses.set(digest, true, this.#missTtlMs);
      return undefined;
    }
    const path = `${this.#name}[${digest.slice(0, 12)}…]`;
    const issues: string[] = [];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      issues.push(`${path}: expected the JSON of a key record, got text that is not JSON`);
    }
    const record = issues.length === 0 ? parseKeyRecord(json, path, issues) : undefined;
    if (record === undefined) throw new InvalidKeyRecord(issues.join("; "));
    const stored = { digest: fromHex(digest), record };
    this.#hits.set(digest, stored, this.#ttlMs);
    return stored;
  }
}
