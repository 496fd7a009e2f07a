/**
 * The Limiter backed by RateLimiter Durable Objects: at most one object call
 * per request, time-bounded, never retried, and skipped entirely when this
 * isolate already knows the answer:
 *
 * - blocked-until cache: once an object says a policy is used up (refusing a
 *   request, or granting its last units), this isolate refuses that key and
 *   policy until the moment the object said one more request fits, so a flood
 *   from one client costs its object about one call per isolate per block;
 * - leases (policies with `lease`): the object grants a batch of requests at
 *   once, counted as spent when granted, and this isolate admits them locally
 *   for a short hold time (sliding-window.ts shows the quota still holds).
 *   Requests that find no token queue behind the one call under way for their
 *   key, and the next call asks for the whole queue;
 * - overload back-off: after an object reports overload, requests for its key
 *   skip it for a second (the route's failure mode applies) instead of adding
 *   to its load. Overloaded calls are never retried.
 */
import type { CheckReply, ObjectPolicy, RateLimiter } from "./rate-limiter-object";
import type { FailureRequest, FailureResult, LimitRequest, LimitResult, Limiter, PolicyStatus } from "./limiter";
import { ExpiryCache, LeasePool, heldStatuses, type Lease } from "./local-caches";
import { leaseHoldMs } from "./sliding-window";

export const OVERLOAD_BACKOFF_MS = 1000;

// Isolate-wide: every request this isolate serves shares them.
const blocked = new ExpiryCache(10_000);
const backoff = new ExpiryCache(1_000);
const leases = new LeasePool(1_000);

class LimiterTimeout extends Error {
  constructor(ms: number) {
    super(`no answer from the rate limiter within ${ms} ms`);
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export function durableObjectLimiter(namespace: DurableObjectNamespace<RateLimiter> | undefined, clock: () => number = Date.now): Limiter {
  return new DurableObjectLimiter(namespace, clock);
}

class DurableObjectLimiter implements Limiter {
  readonly #namespace: DurableObjectNamespace<RateLimiter> | undefined;
  readonly #clock: () => number;

  constructor(namespace: DurableObjectNamespace<RateLimiter> | undefined, clock: () => number) {
    this.#namespace = namespace;
    this.#clock = clock;
  }

  async check(request: LimitRequest): Promise<LimitResult> {
    const now = this.#clock();
    const leasing = request.lease > 1;
    // Held tokens first: they were counted when leased, even if the grant used the quota up.
    const held = leasing ? leases.take(leaseKey(request), request.policies, now) : undefined;
    if (held !== undefined) return { outcome: "allowed", policies: held, via: "lease" };
    const refused = blockedResult(request, now);
    if (refused !== undefined) return refused;
    if (backoff.until(request.key, now) !== undefined) {
      return { outcome: "unchecked", reason: "the rate limiter object reported overload; not calling it again for a moment" };
    }
    if (!leasing) return this.#checkOne(request);
    const lease = leases.entry(leaseKey(request));
    return new Promise<LimitResult>((resolve) => {
      lease.queue.push({ resolve });
      if (!lease.calling) void this.#serveQueue(request, lease);
    });
  }

  async recordFailure(request: FailureRequest): Promise<FailureResult> {
    const { attempts, windowSeconds, lockoutSeconds } = request;
    const reply = await this.#call(request.key, request.timeoutMs, (stub) => stub.recordFailure({ attempts, windowSeconds, lockoutSeconds }));
    if (!reply.ok) return { outcome: "unchecked", reason: reply.reason };
    return { outcome: "recorded", failures: reply.value.failures, lockedForMs: reply.value.lockedForMs };
  }

  async #checkOne(request: LimitRequest): Promise<LimitResult> {
    const reply = await this.#call(request.key, request.timeoutMs, (stub) => stub.check({ policies: objectPolicies(request), requests: 1, holdMs: 0, confirmWrites: confirmsWrites(request) }));
    if (!reply.ok) return { outcome: "unchecked", reason: reply.reason };
    const statuses = this.#remember(request, reply.value);
    if (reply.value.granted === 0) return refusal(reply.value, statuses);
    return { outcome: "allowed", policies: statuses, via: "object" };
  }

  /**
   * Serves a key's queue with one call at a time, each asking for at least the
   * whole queue: waiters are admitted in arrival order from the grant, the
   * rest kept as held tokens. When a grant leaves a policy used up, the
   * waiters it could not serve are refused at once (the blocked cache says
   * until when). Resolves every waiter; never throws.
   */
  async #serveQueue(request: LimitRequest, lease: Lease): Promise<void> {
    lease.calling = true;
    const policies = objectPolicies(request);
    const holdMs = leaseHoldMs(policies);
    try {
      while (lease.queue.length > 0) {
        const sentAt = this.#clock();
        const requests = Math.max(request.lease, lease.queue.length);
        const reply = await this.#call(request.key, request.timeoutMs, (stub) => stub.check({ policies, requests, holdMs, confirmWrites: confirmsWrites(request) }));
        if (!reply.ok) {
          drain(lease, { outcome: "unchecked", reason: reply.reason });
          return;
        }
        const statuses = this.#remember(request, reply.value);
        let granted = reply.value.granted;
        if (granted === 0) {
          drain(lease, refusal(reply.value, statuses));
          return;
        }
        while (granted > 0) {
          const waiter = lease.queue.shift();
          if (waiter === undefined) break;
          granted -= 1;
          waiter.resolve({ outcome: "allowed", policies: heldStatuses(statuses, request.policies, granted, 0), via: "object" });
        }
        // Spendable only until `sentAt + holdMs`: the call left no earlier than
        // that, so no token outlives the hold the object recorded it for.
        if (granted > 0) leases.add(lease, granted, sentAt + holdMs, this.#clock(), statuses);
        const usedUp = blockedResult(request, this.#clock());
        if (usedUp !== undefined) drain(lease, usedUp);
      }
    } catch (error) {
      // Not expected: every step above returns rather than throws. No waiter may hang.
      drain(lease, { outcome: "unchecked", reason: `rate limiter client failed: ${String(error)}` });
    } finally {
      lease.calling = false;
    }
  }

  /** Notes every policy the reply says is used up in the blocked cache; returns the statuses. */
  #remember(request: LimitRequest, reply: CheckReply): PolicyStatus[] {
    // Measured from when the answer arrived, so a block never ends early.
    const receivedAt = this.#clock();
    return reply.policies.map((p) => {
      if (p.fitsInMs !== undefined) blocked.set(blockKey(request.key, p.name), receivedAt + p.fitsInMs);
      return { name: p.name, remaining: p.remaining, releaseInMs: p.releaseInMs };
    });
  }

  /**
   * One call to the key's object under a time budget. An RPC cannot be
   * cancelled: a late answer is dropped, and a request it counted stays
   * counted, which errs towards admitting less.
   */
  async #call<T>(key: string, timeoutMs: number, invoke: (stub: DurableObjectStub<RateLimiter>) => Promise<T>): Promise<Outcome<T>> {
    if (this.#namespace === undefined) return { ok: false, reason: "no RATE_LIMITER Durable Object binding" };
    const namespace = this.#namespace;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LimiterTimeout(timeoutMs)), timeoutMs);
    });
    try {
      return { ok: true, value: await Promise.race([invoke(namespace.getByName(key)), deadline]) };
    } catch (error) {
      if (isOverloaded(error)) backoff.set(key, this.#clock() + OVERLOAD_BACKOFF_MS);
      return { ok: false, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}

function objectPolicies(request: LimitRequest): ObjectPolicy[] {
  return request.policies.map((p) => ({ name: p.name, quota: p.quota, windowMs: p.windowSeconds * 1000, cost: p.cost }));
}

function confirmsWrites(request: LimitRequest): boolean {
  return request.policies.some((p) => p.confirmWrites === true);
}

function refusal(reply: CheckReply, statuses: PolicyStatus[]): LimitResult {
  const violated = reply.policies.filter((p) => p.fitsInMs !== undefined);
  const retryInMs = Math.max(0, ...violated.map((p) => p.fitsInMs ?? 0));
  return { outcome: "denied", policies: statuses, violated: violated.map((p) => p.name), retryInMs, via: "object" };
}

function drain(lease: Lease, result: LimitResult): void {
  for (let waiter = lease.queue.shift(); waiter !== undefined; waiter = lease.queue.shift()) waiter.resolve(result);
}

function blockedResult(request: LimitRequest, now: number): LimitResult | undefined {
  const violated: string[] = [];
  const policies: PolicyStatus[] = [];
  let retryInMs = 0;
  for (const p of request.policies) {
    const until = blocked.until(blockKey(request.key, p.name), now);
    if (until === undefined) continue;
    violated.push(p.name);
    policies.push({ name: p.name, remaining: 0, releaseInMs: until - now });
    retryInMs = Math.max(retryInMs, until - now);
  }
  return violated.length === 0 ? undefined : { outcome: "denied", policies, violated, retryInMs, via: "blocked" };
}

function blockKey(key: string, policy: string): string {
  return `${key}\n${policy}`;
}

function leaseKey(request: LimitRequest): string {
  return `${request.key}\n${request.policies.map((p) => p.name).join(",")}`;
}

/** Durable Object infrastructure marks overload with `.overloaded`; such calls must not be retried. */
function isOverloaded(error: unknown): boolean {
  return error instanceof Error && "overloaded" in error && error.overloaded === true;
}
