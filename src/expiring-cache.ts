/**
 * A bounded per-isolate map whose entries expire: API-key records from KV,
 * verified tokens, blocked-until times, lockouts. The clock is injected so
 * expiry is tested without waiting. When full, the least recently used entry
 * goes: memory stays bounded however many distinct keys arrive.
 */
export class ExpiringCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  // The default clock reads Date.now on each call, so a replaced clock (tests' fake timers) applies.
  constructor(maxEntries: number, now: () => number = () => Date.now()) {
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  /** The value, while it has not expired. */
  get(key: string): V | undefined {
    return this.#live(key)?.value;
  }

  /** When the entry expires, while it has not. */
  expiresAt(key: string): number | undefined {
    return this.#live(key)?.expires;
  }

  /** Keeps `value` until `expires` (on this cache's clock). */
  setUntil(key: string, value: V, expires: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expires });
  }

  set(key: string, value: V, ttlMs: number): void {
    this.setUntil(key, value, this.#now() + ttlMs);
  }

  get size(): number {
    return this.#entries.size;
  }

  #live(key: string): { value: V; expires: number } | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (this.#now() >= entry.expires) return undefined;
    this.#entries.set(key, entry); // most recently used last
    return entry;
  }
}
