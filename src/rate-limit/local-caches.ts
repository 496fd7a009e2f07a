/**
 * Isolate-local state of the limiter: what one isolate remembers between
 * requests so that it need not ask the Durable Object. Bounded, and only ever
 * errs towards admitting less: forgetting a blocked client means asking its
 * object again (which refuses it); forgetting a lease strands its tokens,
 * which were counted as spent when leased.
 */
import type { LimitPolicy, LimitResult, PolicyStatus } from "./limiter";

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

/** A request waiting for its key's next lease. */
export interface LeaseWaiter {
  readonly resolve: (result: LimitResult) => void;
}

export interface Lease {
  /** Requests this isolate may still admit without asking the object. */
  tokens: number;
  /** Local time after which the tokens may no longer be spent. */
  expiresAt: number;
  receivedAt: number;
  /** The object's answer when the tokens were granted (tokens held here excluded). */
  statuses: readonly PolicyStatus[];
  /** Requests waiting for the next grant, served in arrival order. */
  readonly queue: LeaseWaiter[];
  /** True while one call for this key is under way: the others queue instead of calling. */
  calling: boolean;
}

/** Tokens leased from Durable Objects for hot keys, per key and policy set. */
export class LeasePool {
  readonly #leases = new Map<string, Lease>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** Spends one held token, returning the statuses to report, or undefined if none is held. */
  take(key: string, policies: readonly LimitPolicy[], now: number): PolicyStatus[] | undefined {
    const lease = this.#leases.get(key);
    if (lease === undefined || lease.tokens <= 0) return undefined;
    if (now >= lease.expiresAt) {
      lease.tokens = 0;
      return undefined;
    }
    lease.tokens -= 1;
    return heldStatuses(lease.statuses, policies, lease.tokens, now - lease.receivedAt);
  }

  /** Keeps `tokens` more, spendable until `expiresAt` (the earlier expiry wins when tokens are still held). */
  add(lease: Lease, tokens: number, expiresAt: number, receivedAt: number, statuses: readonly PolicyStatus[]): void {
    const held = lease.tokens > 0 && receivedAt < lease.expiresAt;
    lease.expiresAt = held ? Math.min(lease.expiresAt, expiresAt) : expiresAt;
    lease.tokens = (held ? lease.tokens : 0) + tokens;
    lease.receivedAt = receivedAt;
    lease.statuses = statuses;
  }

  entry(key: string): Lease {
    let lease = this.#leases.get(key);
    if (lease === undefined) {
      if (this.#leases.size >= this.#maxEntries) {
        // Evicting strands its tokens (counted already) and never its queue:
        // a running call still holds the entry and serves it.
        const oldest = this.#leases.keys().next();
        if (oldest.done !== true) this.#leases.delete(oldest.value);
      }
      lease = { tokens: 0, expiresAt: 0, receivedAt: 0, statuses: [], queue: [], calling: false };
      this.#leases.set(key, lease);
    }
    return lease;
  }
}

/**
 * What the client has left while this isolate holds tokens: the object's
 * remaining plus the held tokens (counted there already, unspent here).
 */
export function heldStatuses(statuses: readonly PolicyStatus[], policies: readonly LimitPolicy[], held: number, elapsedMs: number): PolicyStatus[] {
  return statuses.map((s) => {
    const cost = policies.find((p) => p.name === s.name)?.cost ?? 0;
    return {
      name: s.name,
      remaining: s.remaining + held * cost,
      releaseInMs: s.releaseInMs === undefined ? undefined : Math.max(0, s.releaseInMs - elapsedMs),
    };
  });
}
