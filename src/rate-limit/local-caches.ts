/**
 * Isolate-local memory of the limiter: keys with an expiry (blocked-until,
 * overload back-off, auth lockouts). Bounded, and only ever errs towards
 * admitting less: forgetting a blocked client means asking its object again,
 * which refuses it.
 */

/** Keys with an expiry time, oldest evicted first when full. */
export class ExpiryCache {
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** When `key` expires, if it is set and has not yet. */
  until(key: string, now: number): number | undefined {
    const until = this.#entries.get(key);
    if (until === undefined) return undefined;
    if (until > now) return until;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, until: number): void {
    // Re-inserting moves the key to the young end of the Map's order.
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, until);
  }
}
