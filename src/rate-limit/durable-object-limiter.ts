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
 *   Batches are sized to the key's demand and unspent tokens are given back
 *   (lease-pool.ts). A request that finds no token makes its own call, asking
 *   for itself and the demand; a request that spends a token and leaves less
 *   than half the demand held starts a refill in the background
 *   (`waitUntil`), so a steady hot key keeps finding tokens. No request ever
 *   waits for another request's call;
 * - overload back-off: after an object reports overload, requests for its key
 *   skip it for a second (the route's failure mode applies) instead of adding
 *   to its load. Overloaded calls are never retried.
 */
import { ExpiringCache } from "../expiring-cache";
import { perIsolate } from "../isolate";
import { describeError } from "../http-syntax";
import type { FailureRequest, FailureResult, LimitRequest, LimitResult, Limiter, LimiterNamespace, PolicyStatus } from "./limiter";
import { LeasePool, heldStatuses, type LeaseEntry } from "./lease-pool";
import type { CheckReply, RateLimiter } from "./rate-limiter-object";

const OVERLOAD_BACKOFF_MS = 1000;

class LimiterTimeout extends Error {
  constructor(ms: number) {
    super(`no answer from the rate limiter within ${ms} ms`);
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * One per isolate (src/isolate.ts): its caches are what every request this
 * isolate serves shares, synchronous state only, never a promise.
 */
export class DurableObjectLimiter implements Limiter {
  readonly #clock: () => number;
  /** Key and policy → when one more request fits again. */
  readonly #blocked: ExpiringCache<true>;
  /** Keys whose object reported overload. */
  readonly #backoff: ExpiringCache<true>;
  readonly #leases = new LeasePool(1_000);

  constructor(clock: () => number = () => Date.now()) {
    this.#clock = clock;
    this.#blocked = new ExpiringCache(10_000, clock);
    this.#backoff = new ExpiringCache(1_000, clock);
  }

  async check(namespace: LimiterNamespace | undefined, request: LimitRequest): Promise<LimitResult> {
    const now = this.#clock();
    const leasing = request.lease > 1;
    const entry = leasing ? this.#leases.entry(leaseKey(request)) : undefined;
    if (entry !== undefined) {
      entry.arrive(now, request.holdMs);
      // Held tokens first: they were counted when leased, even if the grant used the quota up.
      const served = this.#spendHeld(namespace, request, entry, now);
      if (served !== undefined) return served;
    }
    const refused = this.#blockedResult(request, now);
    if (refused !== undefined) return refused;
    if (this.#backoff.get(request.key) !== undefined) {
      return { outcome: "unchecked", reason: "the rate limiter object reported overload; not calling it again for a moment" };
    }
    if (entry === undefined) return this.#checkOne(namespace, request);

    // No token here: this request's own call, for itself and the demand.
    const reply = await this.#lease(namespace, request, entry, entry.ask(now, request.lease, 1), true);
    if (!reply.ok) return { outcome: "unchecked", reason: reply.reason };
    if (reply.value.granted > 0) {
      // The request's own unit was spent at the object's decision; the rest are held.
      const at = this.#clock();
      return { outcome: "allowed", policies: heldStatuses(entry.statuses, request.policies, entry.held(at), 0), via: "object" };
    }
    // Refused, unless a call of another request filled the pool meanwhile.
    return this.#spendHeld(namespace, request, entry, this.#clock()) ?? refusal(reply.value, entry.statuses);
  }

  async recordFailure(namespace: LimiterNamespace | undefined, request: FailureRequest): Promise<FailureResult> {
    const { attempts, windowSeconds, lockoutSeconds } = request;
    const reply = await this.#call(namespace, request.key, request.timeoutMs, (stub) => stub.recordFailure({ attempts, windowSeconds, lockoutSeconds }));
    if (!reply.ok) return { outcome: "unchecked", reason: reply.reason };
    return { outcome: "recorded", failures: reply.value.failures, lockedForMs: reply.value.lockedForMs };
  }

  async #checkOne(namespace: LimiterNamespace | undefined, request: LimitRequest): Promise<LimitResult> {
    const { policies, confirmWrites } = request;
    const reply = await this.#call(namespace, request.key, request.timeoutMs, (stub) => stub.check({ policies, requests: 1, holdMs: 0, confirmWrites }));
    if (!reply.ok) return { outcome: "unchecked", reason: reply.reason };
    const statuses = this.#remember(request, reply.value);
    if (reply.value.granted === 0) return refusal(reply.value, statuses);
    return { outcome: "allowed", policies: statuses, via: "object" };
  }

  /** Spends a held token, starting a background refill when the pool runs low. */
  #spendHeld(namespace: LimiterNamespace | undefined, request: LimitRequest, entry: LeaseEntry, now: number): LimitResult | undefined {
    if (!entry.take(now)) return undefined;
    if (request.background !== undefined && entry.wantsRefill(now)) {
      const ask = entry.ask(now, request.lease, 0);
      if (ask > 0) {
        entry.refilling = true;
        // Owned by this request (waitUntil): nobody awaits it; the tokens it brings are found by later requests.
        request.background(this.#lease(namespace, request, entry, ask, false).finally(() => (entry.refilling = false)));
      }
    }
    const held = entry.held(now);
    return { outcome: "allowed", policies: heldStatuses(entry.statuses, request.policies, held, now - entry.statusesAt), via: "lease" };
  }

  /**
   * One lease call asking for `requests` (`forSelf`: one of them is the
   * caller's own), carrying the returns of ended grants. Granted tokens beyond the caller's own are held until
   * `sentAt + hold`: the call left no earlier than that, so no token outlives
   * the hold the object recorded it for. Never throws.
   */
  async #lease(namespace: LimiterNamespace | undefined, request: LimitRequest, entry: LeaseEntry, requests: number, forSelf: boolean): Promise<Outcome<CheckReply>> {
    const { policies, holdMs, confirmWrites } = request;
    const sentAt = this.#clock();
    // A return whose call fails is not sent again: the object may have applied it, and twice would undercount.
    const returns = entry.takeReturns();
    entry.inFlight += requests;
    const reply = await this.#call(namespace, request.key, request.timeoutMs, (stub) => stub.check({ policies, requests, holdMs, confirmWrites, returns }));
    entry.inFlight -= requests;
    if (!reply.ok) return reply;
    const statuses = this.#remember(request, reply.value);
    // A caller asking for itself spends one of the granted requests at once.
    const own = forSelf && reply.value.granted > 0 ? 1 : 0;
    entry.add(reply.value.granted - own, sentAt + holdMs, reply.value.recordedAt, statuses, this.#clock());
    return reply;
  }

  /** Notes every policy the reply says is used up in the blocked cache; returns the statuses. */
  #remember(request: LimitRequest, reply: CheckReply): PolicyStatus[] {
    // Measured from when the answer arrived, so a block never ends early.
    const receivedAt = this.#clock();
    return reply.policies.map((p) => {
      if (p.fitsInMs !== undefined) this.#blocked.setUntil(blockKey(request.key, p.name), true, receivedAt + p.fitsInMs);
      return { name: p.name, remaining: p.remaining, releaseInMs: p.releaseInMs };
    });
  }

  /**
   * One call to the key's object under a time budget. An RPC cannot be
   * cancelled: a late answer is dropped, and a request it counted stays
   * counted, which errs towards admitting less.
   */
  async #call<T>(namespace: LimiterNamespace | undefined, key: string, timeoutMs: number, invoke: (stub: DurableObjectStub<RateLimiter>) => Promise<T>): Promise<Outcome<T>> {
    if (namespace === undefined) return { ok: false, reason: "no RATE_LIMITER Durable Object binding" };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LimiterTimeout(timeoutMs)), timeoutMs);
    });
    try {
      return { ok: true, value: await Promise.race([invoke(namespace.getByName(key)), deadline]) };
    } catch (error) {
      if (isOverloaded(error)) this.#backoff.set(key, true, OVERLOAD_BACKOFF_MS);
      return { ok: false, reason: describeError(error) };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  #blockedResult(request: LimitRequest, now: number): LimitResult | undefined {
    const violated: string[] = [];
    const policies: PolicyStatus[] = [];
    let retryInMs = 0;
    for (const p of request.policies) {
      const until = this.#blocked.expiresAt(blockKey(request.key, p.name));
      if (until === undefined) continue;
      violated.push(p.name);
      policies.push({ name: p.name, remaining: 0, releaseInMs: until - now });
      retryInMs = Math.max(retryInMs, until - now);
    }
    return violated.length === 0 ? undefined : { outcome: "denied", policies, violated, retryInMs, via: "blocked" };
  }
}

function refusal(reply: CheckReply, statuses: readonly PolicyStatus[]): LimitResult {
  const violated = reply.policies.filter((p) => p.fitsInMs !== undefined);
  const retryInMs = Math.max(0, ...violated.map((p) => p.fitsInMs ?? 0));
  return { outcome: "denied", policies: statuses, violated: violated.map((p) => p.name), retryInMs, via: "object" };
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

/** The isolate's one limiter client: its caches serve every request of the isolate. */
export const isolateLimiter = perIsolate(() => new DurableObjectLimiter());
