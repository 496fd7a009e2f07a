/**
 * Quota accounting: a sliding window kept as ten buckets per window, counted
 * conservatively so that in ANY interval of `window` length the units admitted
 * never exceed the quota. Pure: the clock is a parameter.
 *
 * Usage is recorded in the bucket (window / 10 wide) of the time it is spent.
 * At time `now`, with `c` the start of the current bucket, every bucket that
 * starts at or after `c - window` counts: that span reaches back at least one
 * full window from `now`, so a decision sees every unit spent in the last
 * window (and some spent up to one bucket earlier: that is the only error, and
 * it errs on the side of admitting less). A bucket stops counting at
 * `start + window + bucket` (`releaseAt`). Fixed windows would admit twice the
 * quota across a boundary; GCRA admits burst + rate × window in a window; a
 * sliding log is exact but costs memory per unit. This keeps 11 integers.
 *
 * Leases record their units in the bucket of `now + holdMs`, the last moment a
 * leased unit may be spent, so every unit counts from its grant until a full
 * window after it could have been spent: leases never let the quota be exceeded.
 * Units an isolate did not spend within the hold are taken back (`unrecord`):
 * they admitted nobody, so removing them keeps the count exact.
 */

const BUCKETS_PER_WINDOW = 10;

/** Units recorded in one bucket: [bucket start in ms since the epoch, units]. */
export type Bucket = readonly [start: number, units: number];
/** A policy's recorded usage, buckets in ascending order of start. */
export type Usage = readonly Bucket[];

export interface WindowPolicy {
  /** Units allowed in any `windowMs` interval. */
  readonly quota: number;
  /** A multiple of BUCKETS_PER_WINDOW milliseconds (whole seconds always are). */
  readonly windowMs: number;
  /** Units one request uses. */
  readonly cost: number;
}

function bucketMs(windowMs: number): number {
  return windowMs / BUCKETS_PER_WINDOW;
}

/** The moment units recorded in the bucket starting at `start` stop counting. */
export function releaseAt(start: number, windowMs: number): number {
  return start + windowMs + bucketMs(windowMs);
}

/** The buckets that still count at `now`. */
export function live(usage: Usage, windowMs: number, now: number): Usage {
  return usage.filter(([start]) => releaseAt(start, windowMs) > now);
}

export function used(usage: Usage): number {
  let sum = 0;
  for (const [, units] of usage) sum += units;
  return sum;
}

/** Adds `units` to the bucket containing `at`. */
export function record(usage: Usage, windowMs: number, at: number, units: number): Usage {
  const width = bucketMs(windowMs);
  const start = Math.floor(at / width) * width;
  const out: Bucket[] = [];
  let placed = false;
  for (const bucket of usage) {
    if (!placed && bucket[0] === start) {
      out.push([start, bucket[1] + units]);
      placed = true;
      continue;
    }
    if (!placed && bucket[0] > start) {
      out.push([start, units]);
      placed = true;
    }
    out.push(bucket);
  }
  if (!placed) out.push([start, units]);
  return out;
}

/**
 * Takes back `units` recorded in the bucket containing `at`: leased units an
 * isolate did not spend within their hold (a lease return). Never below zero,
 * and only from that bucket, so a return can remove no more than the grant it
 * answers put there; a bucket that has already stopped counting is left alone.
 */
export function unrecord(usage: Usage, windowMs: number, at: number, units: number): Usage {
  const width = bucketMs(windowMs);
  const start = Math.floor(at / width) * width;
  const out: Bucket[] = [];
  for (const bucket of usage) {
    if (bucket[0] !== start) out.push(bucket);
    else if (bucket[1] > units) out.push([start, bucket[1] - units]);
  }
  return out;
}

/**
 * The earliest moment `needed` more units fit under `quota` (buckets release
 * in order of their start), or undefined if they never can (needed > quota).
 */
export function fitsAt(usage: Usage, quota: number, windowMs: number, needed: number, now: number): number | undefined {
  let counted = used(usage);
  if (counted + needed <= quota) return now;
  for (const [start, units] of usage) {
    counted -= units;
    if (counted + needed <= quota) return releaseAt(start, windowMs);
  }
  return undefined;
}

export interface PolicyVerdict {
  /** Units left after this decision. */
  readonly remaining: number;
  /** When more quota is next made available; undefined when nothing counts. */
  readonly nextReleaseAt: number | undefined;
  /**
   * Set when one more request does not fit now (this policy refused, or this
   * grant used it up): the earliest moment it does.
   */
  readonly fitsAt: number | undefined;
}

export interface Verdict {
  /** Requests granted: 0 (refused), 1, or up to `requests` for a lease. */
  readonly granted: number;
  /** Where the grant was recorded (`now + holdMs`): the moment a return of its unspent units names. */
  readonly recordedAt: number;
  /** The usage to store, in the order of `policies`. */
  readonly usage: readonly Usage[];
  readonly policies: readonly PolicyVerdict[];
}

export interface Ask {
  /** Requests wanted: 1, or a lease size. A lease is granted in part when less is left. */
  readonly requests: number;
  /** How long granted units may be held before they are spent (0 without a lease). */
  readonly holdMs: number;
}

/**
 * Decides one ask against several policies at once: granted only if every
 * policy has room, and then recorded in every policy (all or nothing).
 */
export function decide(policies: readonly WindowPolicy[], usage: readonly Usage[], ask: Ask, now: number): Verdict {
  const current = policies.map((policy, i) => live(usage[i] ?? [], policy.windowMs, now));
  let room = ask.requests;
  policies.forEach((policy, i) => {
    room = Math.min(room, Math.floor((policy.quota - used(current[i] ?? [])) / policy.cost));
  });
  const granted = Math.max(0, room);
  const recordedAt = now + ask.holdMs;
  const after = granted === 0
    ? current
    : policies.map((policy, i) => record(current[i] ?? [], policy.windowMs, recordedAt, granted * policy.cost));
  return {
    granted,
    recordedAt,
    usage: after,
    policies: policies.map((policy, i) => {
      const mine = after[i] ?? [];
      const first = mine[0];
      const full = used(mine) + policy.cost > policy.quota;
      return {
        remaining: Math.max(0, policy.quota - used(mine)),
        nextReleaseAt: first === undefined ? undefined : releaseAt(first[0], policy.windowMs),
        fitsAt: full ? fitsAt(mine, policy.quota, policy.windowMs, policy.cost, now) : undefined,
      };
    }),
  };
}

/**
 * How long leased units may be held: at most one bucket of the narrowest
 * window (so the lease's own error stays within the bucket error) and at most
 * one second.
 */
export function leaseHoldMs(policies: readonly WindowPolicy[]): number {
  return Math.min(1000, ...policies.map((p) => bucketMs(p.windowMs)));
}
