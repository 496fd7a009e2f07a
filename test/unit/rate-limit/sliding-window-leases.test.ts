// Leases: a batch granted at once, in part when less is left, recorded at the
// end of its hold so that the quota holds whenever the tokens are spent.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide, leaseHoldMs, unrecord, type Usage, type WindowPolicy } from "../../../src/rate-limit/sliding-window";

const policy: WindowPolicy = { quota: 10, windowMs: 1_000, cost: 1 };

describe("leases", () => {
  it("grants the lease in full, or what is left", () => {
    const first = decide([policy], [[]], { requests: 4, holdMs: 100 }, 0);
    expect(first.granted).toBe(4);
    const second = decide([policy], first.usage, { requests: 8, holdMs: 100 }, 10);
    expect(second.granted).toBe(6);
    expect(decide([policy], second.usage, { requests: 8, holdMs: 100 }, 20).granted).toBe(0);
  });

  it("records leased units in the bucket where the hold ends", () => {
    const verdict = decide([policy], [[]], { requests: 4, holdMs: 100 }, 50);
    expect(verdict.usage[0]).toEqual([[100, 4]]);
  });

  it("holds for at most one bucket of the narrowest window, and at most a second", () => {
    expect(leaseHoldMs([policy, { quota: 1, windowMs: 86_400_000, cost: 1 }])).toBe(100);
    expect(leaseHoldMs([{ quota: 1, windowMs: 3_600_000, cost: 1 }])).toBe(1_000);
  });

  it("never lets more than the quota be SPENT in any window, whenever tokens are spent within their hold (property)", () => {
    fc.assert(
      fc.property(
        // Each grant: when it is asked for, how many requests, and when within the hold each granted token is spent.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 6, maxLength: 6 })), { maxLength: 80 }),
        (asks) => {
          const hold = leaseHoldMs([policy]);
          let usage: Usage = [];
          const spent: number[] = [];
          for (const [at, requests, delays] of [...asks].sort((a, b) => a[0] - b[0])) {
            const verdict = decide([policy], [usage], { requests, holdMs: hold }, at);
            usage = verdict.usage[0] ?? [];
            for (let i = 0; i < verdict.granted; i++) spent.push(at + Math.min(hold, delays[i] ?? 0));
          }
          for (const start of spent) {
            expect(spent.filter((t) => t >= start && t < start + policy.windowMs).length).toBeLessThanOrEqual(policy.quota);
          }
        },
      ),
    );
  });

  it("takes back unspent units from the bucket they were recorded in, never below zero", () => {
    const granted = decide([policy], [[]], { requests: 6, holdMs: 100 }, 50);
    expect(granted.recordedAt).toBe(150);
    expect(unrecord(granted.usage[0] ?? [], policy.windowMs, granted.recordedAt, 4)).toEqual([[100, 2]]);
    expect(unrecord(granted.usage[0] ?? [], policy.windowMs, granted.recordedAt, 9)).toEqual([]);
    expect(unrecord(granted.usage[0] ?? [], policy.windowMs, 999, 4)).toEqual([[100, 6]]);
  });

  it("never lets more than the quota be SPENT in any window when unspent tokens are given back (property)", () => {
    fc.assert(
      fc.property(
        // Each grant: when, how many asked, how many of them are spent (the rest go back at the next grant).
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 6 })), { maxLength: 80 }),
        (asks) => {
          const hold = leaseHoldMs([policy]);
          let usage: Usage = [];
          const spent: number[] = [];
          let pending: { at: number; units: number } | undefined;
          for (const [at, requests, use] of [...asks].sort((a, b) => a[0] - b[0])) {
            if (pending !== undefined) usage = unrecord(usage, policy.windowMs, pending.at, pending.units);
            const verdict = decide([policy], [usage], { requests, holdMs: hold }, at);
            usage = verdict.usage[0] ?? [];
            const used = Math.min(use, verdict.granted);
            for (let i = 0; i < used; i++) spent.push(at + hold);
            pending = { at: verdict.recordedAt, units: verdict.granted - used };
          }
          for (const start of spent) {
            expect(spent.filter((t) => t >= start && t < start + policy.windowMs).length).toBeLessThanOrEqual(policy.quota);
          }
        },
      ),
    );
  });
});
