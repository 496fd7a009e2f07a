/**
 * Tokens an isolate leased from a key's RateLimiter object, and how many to
 * ask for next. Pure: the clock is a parameter, and nothing here awaits.
 *
 * Requests never wait for one another here: a request either spends a token
 * already held, or makes a call of its own (durable-object-limiter.ts). What
 * requests share is only this synchronous state, never a promise: workerd
 * cancels a request that waits on I/O another request owns, and Cloudflare
 * forbids it.
 *
 * Sized to demand: a batch covers the requests this isolate saw for the key in
 * the last hold period (at most `lease`), less what is held or already asked
 * for, so a slow client asks for one unit at a time and strands nothing.
 * Unspent tokens go back: when a grant's hold ends with tokens left, they are
 * queued as a return, and the next call for the key gives them back.
 */
import type { PolicyStatus } from "./limiter";
import type { LeaseReturn, ObjectPolicy } from "./rate-limiter-object";

interface Grant {
  tokens: number;
  /** Local time after which its tokens may no longer be spent. */
  readonly expiresAt: number;
  /** Where the object recorded it, on the object's clock: named by a return. */
  readonly recordedAt: number;
}

export class LeaseEntry {
  readonly grants: Grant[] = [];
  /** The object's answer with the latest grant (tokens held here excluded). */
  statuses: readonly PolicyStatus[] = [];
  statusesAt = 0;
  /** Tokens asked for by calls under way. */
  inFlight = 0;
  /** True while a refill started by a spending request is under way. */
  refilling = false;
  /** Unspent tokens of ended grants, for the next call to give back. */
  returns: LeaseReturn[] = [];
  #periodStart = Number.NEGATIVE_INFINITY;
  #periodCount = 0;
  #lastPeriodCount = 0;

  /** Counts one request; the demand is the larger of this and the last hold period's count. */
  arrive(now: number, holdMs: number): void {
    if (now - this.#periodStart >= holdMs) {
      this.#lastPeriodCount = now - this.#periodStart < 2 * holdMs ? this.#periodCount : 0;
      this.#periodStart = now;
      this.#periodCount = 0;
    }
    this.#periodCount += 1;
  }

  demand(): number {
    return Math.max(this.#periodCount, this.#lastPeriodCount);
  }

  /** Tokens spendable at `now`; grants whose hold ended are moved to `returns`. */
  held(now: number): number {
    let held = 0;
    for (let i = this.grants.length - 1; i >= 0; i--) {
      const grant = this.grants[i];
      if (grant === undefined) continue;
      if (now < grant.expiresAt && grant.tokens > 0) {
        held += grant.tokens;
        continue;
      }
      if (grant.tokens > 0) this.returns.push({ at: grant.recordedAt, requests: grant.tokens });
      this.grants.splice(i, 1);
    }
    return held;
  }

  /** Spends one held token (the grant ending soonest first); false when none is held. */
  take(now: number): boolean {
    if (this.held(now) === 0) return false;
    let soonest: Grant | undefined;
    for (const grant of this.grants) if (soonest === undefined || grant.expiresAt < soonest.expiresAt) soonest = grant;
    if (soonest === undefined) return false;
    soonest.tokens -= 1;
    return true;
  }

  /**
   * Requests to ask the object for: the demand less what is held or on its
   * way, within [minimum, lease]. A request asking for itself passes 1.
   */
  ask(now: number, lease: number, minimum: 0 | 1): number {
    return Math.min(lease, Math.max(minimum, this.demand() - this.held(now) - this.inFlight));
  }

  /** A spending request starts a refill (in the background) once half the demand is spent. */
  wantsRefill(now: number): boolean {
    return !this.refilling && this.held(now) * 2 <= this.demand();
  }

  add(tokens: number, expiresAt: number, recordedAt: number, statuses: readonly PolicyStatus[], receivedAt: number): void {
    if (tokens > 0) this.grants.push({ tokens, expiresAt, recordedAt });
    this.statuses = statuses;
    this.statusesAt = receivedAt;
  }

  takeReturns(): LeaseReturn[] {
    const returns = this.returns;
    this.returns = [];
    return returns;
  }
}

/** Lease entries per key and policy set, the oldest evicted first when full (its held tokens then stay counted). */
export class LeasePool {
  readonly #entries = new Map<string, LeaseEntry>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  entry(key: string): LeaseEntry {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      if (this.#entries.size >= this.#maxEntries) {
        const oldest = this.#entries.keys().next();
        if (oldest.done !== true) this.#entries.delete(oldest.value);
      }
      entry = new LeaseEntry();
      this.#entries.set(key, entry);
    }
    return entry;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/**
 * What the client has left while this isolate holds tokens: the object's
 * remaining plus the held tokens (counted there already, unspent here).
 */
export function heldStatuses(statuses: readonly PolicyStatus[], policies: readonly ObjectPolicy[], held: number, elapsedMs: number): PolicyStatus[] {
  return statuses.map((s) => {
    const cost = policies.find((p) => p.name === s.name)?.cost ?? 0;
    return {
      name: s.name,
      remaining: s.remaining + held * cost,
      releaseInMs: s.releaseInMs === undefined ? undefined : Math.max(0, s.releaseInMs - elapsedMs),
    };
  });
}
