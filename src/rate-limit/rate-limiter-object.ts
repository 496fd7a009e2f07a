/**
 * The RateLimiter Durable Object: one object per rate-limit key, holding the
 * usage of every policy counted against that key.
 *
 * Usage lives in memory, loaded from storage once when the object starts, and
 * every change is written through to the object's SQLite-backed storage (its
 * key-value API: `usage:<policy>` and `lock`). Each RPC method reads, decides
 * and writes without an `await`, so the input gate makes it atomic: concurrent
 * requests are decided one after another, and no two can both take the last unit.
 *
 * Durability is chosen per call. By default the write is sent with
 * `allowUnconfirmed`: the reply does not wait for storage to confirm it (on
 * Cloudflare that confirmation is a replication round trip). Eviction and restarts lose nothing,
 * as the write is already under way; only a failing storage write can forget
 * the requests admitted while it was in flight, and the runtime then resets the
 * object. A call with `confirmWrites` holds its reply until the write is
 * durable (output gate), for quotas where even that must not happen.
 *
 * Idle state is removed by an alarm: when every bucket has stopped counting and
 * every lock has ended, the object deletes all of its storage.
 *
 * Only the RPC methods are public; helpers are #private (TypeScript `private`
 * is not enforced over RPC).
 */
import { DurableObject } from "cloudflare:workers";
import { decide, live, record, releaseAt, unrecord, used, type Usage, type WindowPolicy } from "./sliding-window";

export interface ObjectPolicy extends WindowPolicy {
  readonly name: string;
}

export interface CheckCall {
  readonly policies: readonly ObjectPolicy[];
  /** Requests wanted: 1, or a lease size (granted in part when less is left). */
  readonly requests: number;
  /** How long leased units may be held before they are spent; 0 without a lease. */
  readonly holdMs: number;
  /** Hold the reply until the write is durable (see the class comment). */
  readonly confirmWrites?: boolean;
  /** Leased requests an isolate did not spend within their hold, given back before deciding. */
  readonly returns?: readonly LeaseReturn[];
}

/** `requests` unspent of a grant this object recorded at `at` (CheckReply.recordedAt). */
export interface LeaseReturn {
  readonly at: number;
  readonly requests: number;
}

export interface CheckReply {
  readonly granted: number;
  /** Where a grant was recorded, on this object's clock: what a later return of its unspent requests names. */
  readonly recordedAt: number;
  readonly policies: readonly {
    readonly name: string;
    readonly remaining: number;
    /** Milliseconds (on this object's clock, from now) until more quota is made available. */
    readonly releaseInMs: number | undefined;
    /** Set for each policy one more request does not fit in now: milliseconds until it does. */
    readonly fitsInMs: number | undefined;
  }[];
}

export interface FailureCall {
  readonly attempts: number;
  readonly windowSeconds: number;
  readonly lockoutSeconds: number;
}

export interface FailureReply {
  readonly failures: number;
  readonly lockedForMs: number;
}

const USAGE_PREFIX = "usage:";
const LOCK_KEY = "lock";
// The usage of the failed-authentication counter. Auth-failure keys have
// objects of their own, so the name cannot meet a policy's.
const FAILURES = "auth-failures";

interface StoredUsage {
  readonly usage: Usage;
  /** When the newest bucket stops counting: the usage can be dropped from then on. */
  readonly idleAt: number;
}

export class RateLimiter extends DurableObject<Env> {
  readonly #usage = new Map<string, StoredUsage>();
  /** The end of the failed-authentication lock; 0 when there is none. */
  #lockedUntil = 0;
  /** The scheduled alarm, or null; one alarm at a time is enough (it reschedules itself). */
  #alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // An object holds a handful of keys: one per policy of its key, and a lock.
    void ctx.blockConcurrencyWhile(async () => {
      const [stored, alarmAt] = await Promise.all([ctx.storage.list(), ctx.storage.getAlarm()]);
      for (const [key, value] of stored) {
        if (key === LOCK_KEY && typeof value === "number") this.#lockedUntil = value;
        else if (key.startsWith(USAGE_PREFIX) && isStoredUsage(value)) this.#usage.set(key.slice(USAGE_PREFIX.length), value);
      }
      this.#alarmAt = alarmAt;
    });
  }

  /** Decides one request (or a lease) against every policy at once, and counts it if granted. */
  check(call: CheckCall): CheckReply {
    const now = Date.now();
    const policies = call.policies;
    const returns = call.returns ?? [];
    const stored = policies.map((p) => {
      let usage = this.#usage.get(p.name)?.usage ?? [];
      for (const r of returns) usage = unrecord(usage, p.windowMs, r.at, Math.max(0, Math.floor(r.requests)) * p.cost);
      return usage;
    });
    const verdict = decide(policies, stored, { requests: Math.max(1, Math.floor(call.requests)), holdMs: Math.max(0, call.holdMs) }, now);
    if (verdict.granted > 0 || returns.length > 0) {
      const options = { allowUnconfirmed: call.confirmWrites !== true };
      policies.forEach((p, i) => this.#save(p.name, p.windowMs, verdict.usage[i] ?? [], options));
    }
    return {
      granted: verdict.granted,
      recordedAt: verdict.recordedAt,
      policies: policies.map((p, i) => {
        const v = verdict.policies[i];
        return {
          name: p.name,
          remaining: v?.remaining ?? 0,
          releaseInMs: v?.nextReleaseAt === undefined ? undefined : v.nextReleaseAt - now,
          fitsInMs: v?.fitsAt === undefined ? undefined : v.fitsAt - now,
        };
      }),
    };
  }

  /** Counts one failed authentication; locks the key once `attempts` failures fall in the window. */
  recordFailure(call: FailureCall): FailureReply {
    const now = Date.now();
    if (this.#lockedUntil > now) return { failures: call.attempts, lockedForMs: this.#lockedUntil - now };
    const windowMs = call.windowSeconds * 1000;
    // A lock forgotten in a storage failure costs one more round of attempts; not worth a confirmed write.
    const options = { allowUnconfirmed: true };
    const usage = record(live(this.#usage.get(FAILURES)?.usage ?? [], windowMs, now), windowMs, now, 1);
    const failures = used(usage);
    if (failures < call.attempts) {
      this.#save(FAILURES, windowMs, usage, options);
      return { failures, lockedForMs: 0 };
    }
    // Locked: the count starts over once the lock ends.
    this.#lockedUntil = now + call.lockoutSeconds * 1000;
    settle(this.ctx.storage.put(LOCK_KEY, this.#lockedUntil, options));
    this.#save(FAILURES, windowMs, [], options);
    this.#scheduleCleanup(this.#lockedUntil, options);
    return { failures, lockedForMs: this.#lockedUntil - now };
  }

  /** Removes what stopped counting; deletes all storage once nothing is left. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const now = Date.now();
    let next = 0;
    if (this.#lockedUntil > now) next = this.#lockedUntil;
    else if (this.#lockedUntil !== 0) {
      this.#lockedUntil = 0;
      settle(this.ctx.storage.delete(LOCK_KEY));
    }
    for (const [policy, { idleAt }] of this.#usage) {
      if (idleAt > now) {
        next = Math.max(next, idleAt);
      } else {
        this.#usage.delete(policy);
        settle(this.ctx.storage.delete(USAGE_PREFIX + policy));
      }
    }
    if (next === 0) {
      await this.ctx.storage.deleteAll();
      return;
    }
    this.#alarmAt = next;
    await this.ctx.storage.setAlarm(next);
  }

  #save(policy: string, windowMs: number, usage: Usage, options: DurableObjectPutOptions): void {
    const last = usage[usage.length - 1];
    if (last === undefined) {
      this.#usage.delete(policy);
      settle(this.ctx.storage.delete(USAGE_PREFIX + policy, options));
      return;
    }
    const entry: StoredUsage = { usage, idleAt: releaseAt(last[0], windowMs) };
    this.#usage.set(policy, entry);
    settle(this.ctx.storage.put(USAGE_PREFIX + policy, entry, options));
    this.#scheduleCleanup(entry.idleAt, options);
  }

  #scheduleCleanup(at: number, options: DurableObjectPutOptions): void {
    if (this.#alarmAt !== null) return;
    this.#alarmAt = at;
    settle(this.ctx.storage.setAlarm(at, options));
  }
}

/**
 * Storage operations are ordered and not awaited: the decision is already made
 * in memory. A failed write breaks the object and the runtime resets it, so
 * the rejection needs no handling here (pending RPCs fail instead).
 */
function settle(operation: Promise<unknown>): void {
  operation.catch(() => undefined);
}

function isStoredUsage(value: unknown): value is StoredUsage {
  if (typeof value !== "object" || value === null) return false;
  const { usage, idleAt } = value as { usage?: unknown; idleAt?: unknown };
  return (
    typeof idleAt === "number" &&
    Array.isArray(usage) &&
    usage.every((b: unknown) => Array.isArray(b) && b.length === 2 && typeof b[0] === "number" && typeof b[1] === "number")
  );
}
