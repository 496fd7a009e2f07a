/**
 * The RateLimiter Durable Object: one object per rate-limit key, holding the
 * usage of every policy counted against that key in its SQLite storage.
 *
 * Each RPC method reads, decides and writes with synchronous `ctx.storage.sql`
 * calls and no `await`, so the input gate makes it atomic: concurrent requests
 * are decided one after another against the stored counts, and no two can
 * both take the last unit. The write is durable before the reply leaves the
 * object (output gate), so state survives eviction and restarts.
 *
 * Idle state is removed by an alarm: when every bucket has stopped counting and
 * every lock has ended, the object deletes all of its storage.
 *
 * Only the RPC methods are public; helpers are #private (TypeScript `private`
 * is not enforced over RPC).
 */
import { DurableObject } from "cloudflare:workers";
import { decide, live, record, releaseAt, used, type Bucket, type Usage, type WindowPolicy } from "./sliding-window";

export interface ObjectPolicy extends WindowPolicy {
  readonly name: string;
}

export interface CheckCall {
  readonly policies: readonly ObjectPolicy[];
  /** Requests wanted: 1, or a lease size (granted in part when less is left). */
  readonly requests: number;
  /** How long leased units may be held before they are spent; 0 without a lease. */
  readonly holdMs: number;
}

export interface CheckReply {
  readonly granted: number;
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

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS usage (
    policy TEXT PRIMARY KEY,
    buckets TEXT NOT NULL,
    release_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS locks (
    name TEXT PRIMARY KEY,
    until INTEGER NOT NULL
  );
`;
// The usage row and lock of the failed-authentication counter. Auth-failure
// keys have objects of their own, so the name cannot meet a policy's.
const FAILURES = "auth-failures";

export class RateLimiter extends DurableObject<Env> {
  #schemaReady = false;
  /** The scheduled alarm, or null; one alarm at a time is enough (it reschedules itself). */
  #alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  /** Decides one request (or a lease) against every policy at once, and counts it if granted. */
  check(call: CheckCall): CheckReply {
    this.#ensureSchema();
    const now = Date.now();
    const policies = call.policies;
    const stored = policies.map((p) => this.#load(p.name));
    const verdict = decide(policies, stored, { requests: Math.max(1, Math.floor(call.requests)), holdMs: Math.max(0, call.holdMs) }, now);
    if (verdict.granted > 0) {
      policies.forEach((p, i) => this.#save(p.name, p.windowMs, verdict.usage[i] ?? []));
    }
    return {
      granted: verdict.granted,
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
    this.#ensureSchema();
    const now = Date.now();
    const lock = this.ctx.storage.sql.exec<{ until: number }>("SELECT until FROM locks WHERE name = ?", FAILURES).toArray()[0];
    if (lock !== undefined && lock.until > now) return { failures: call.attempts, lockedForMs: lock.until - now };
    const windowMs = call.windowSeconds * 1000;
    const usage = record(live(this.#load(FAILURES), windowMs, now), windowMs, now, 1);
    const failures = used(usage);
    if (failures < call.attempts) {
      this.#save(FAILURES, windowMs, usage);
      return { failures, lockedForMs: 0 };
    }
    // Locked: the count starts over once the lock ends.
    const until = now + call.lockoutSeconds * 1000;
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO locks (name, until) VALUES (?, ?)", FAILURES, until);
    this.#save(FAILURES, windowMs, []);
    this.#scheduleCleanup(until);
    return { failures, lockedForMs: until - now };
  }

  /** Removes what stopped counting; deletes all storage once nothing is left. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    this.#ensureSchema();
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM usage WHERE release_at <= ?", now);
    sql.exec("DELETE FROM locks WHERE until <= ?", now);
    const row = sql
      .exec<{ next: number | null }>("SELECT MAX(t) AS next FROM (SELECT MAX(release_at) AS t FROM usage UNION ALL SELECT MAX(until) FROM locks)")
      .toArray()[0];
    const next = row?.next ?? null;
    if (next === null) {
      await this.ctx.storage.deleteAll();
      this.#schemaReady = false;
      return;
    }
    this.#alarmAt = next;
    await this.ctx.storage.setAlarm(next);
  }

  #ensureSchema(): void {
    if (this.#schemaReady) return;
    this.ctx.storage.sql.exec(SCHEMA);
    this.#schemaReady = true;
  }

  #load(policy: string): Usage {
    const row = this.ctx.storage.sql.exec<{ buckets: string }>("SELECT buckets FROM usage WHERE policy = ?", policy).toArray()[0];
    return row === undefined ? [] : parseBuckets(row.buckets);
  }

  #save(policy: string, windowMs: number, usage: Usage): void {
    const last = usage[usage.length - 1];
    if (last === undefined) {
      this.ctx.storage.sql.exec("DELETE FROM usage WHERE policy = ?", policy);
      return;
    }
    const idleAt = releaseAt(last[0], windowMs);
    this.ctx.storage.sql.exec(
      "INSERT INTO usage (policy, buckets, release_at) VALUES (?, ?, ?) ON CONFLICT (policy) DO UPDATE SET buckets = excluded.buckets, release_at = excluded.release_at",
      policy,
      JSON.stringify(usage),
      idleAt,
    );
    this.#scheduleCleanup(idleAt);
  }

  #scheduleCleanup(at: number): void {
    if (this.#alarmAt !== null) return;
    this.#alarmAt = at;
    // Not awaited: storage writes are ordered and the output gate holds the reply until it is durable.
    void this.ctx.storage.setAlarm(at);
  }
}

function parseBuckets(text: string): Usage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const buckets: Bucket[] = [];
  for (const entry of value) {
    if (Array.isArray(entry) && typeof entry[0] === "number" && typeof entry[1] === "number") buckets.push([entry[0], entry[1]]);
  }
  return buckets;
}
