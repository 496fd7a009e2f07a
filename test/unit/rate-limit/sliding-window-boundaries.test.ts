// The sliding window at its boundaries, with an injected clock: a full quota,
// refusal, and release exactly one window plus one bucket after spending.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide, releaseAt, type Usage, type WindowPolicy } from "../../../src/rate-limit/sliding-window";

const ONE_REQUEST = { requests: 1, holdMs: 0 };
const policy: WindowPolicy = { quota: 3, windowMs: 10_000, cost: 1 };

/** Runs requests at the given times against one policy; returns the times admitted. */
function run(times: readonly number[], p: WindowPolicy = policy): number[] {
  let usage: Usage = [];
  const admitted: number[] = [];
  for (const t of times) {
    const verdict = decide([p], [usage], ONE_REQUEST, t);
    usage = verdict.usage[0] ?? [];
    if (verdict.granted === 1) admitted.push(t);
  }
  return admitted;
}

describe("sliding window boundaries", () => {
  it("admits the quota, then refuses", () => {
    expect(run([0, 1, 2, 3, 4])).toEqual([0, 1, 2]);
  });

  it("releases units one window plus one bucket after their bucket starts", () => {
    // Spent at 500 ms: bucket [0, 1000) counts until 0 + 10 000 + 1000.
    expect(releaseAt(0, 10_000)).toBe(11_000);
    expect(run([500, 500, 500, 10_999, 11_000])).toEqual([500, 500, 500, 11_000]);
  });

  it("rolls over gradually: each bucket frees what it held", () => {
    // Buckets [0,1000) and [2000,3000) release at 11 000 and 13 000.
    expect(run([0, 2_500, 5_000, 9_000, 11_000, 12_000, 13_500, 14_000])).toEqual([0, 2_500, 5_000, 11_000, 13_500]);
  });

  it("reports remaining units and when more quota is made available", () => {
    const first = decide([policy], [[]], ONE_REQUEST, 1_234);
    expect(first.policies[0]).toEqual({ remaining: 2, nextReleaseAt: 12_000, fitsAt: undefined });
    const full: Usage = [[1_000, 3]];
    const refused = decide([policy], [full], ONE_REQUEST, 5_000);
    expect(refused.granted).toBe(0);
    expect(refused.policies[0]).toEqual({ remaining: 0, nextReleaseAt: 12_000, fitsAt: 12_000 });
    expect(refused.usage[0]).toEqual(full);
  });

  it("never admits more than the quota in ANY interval of one window (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        (raw, quota, seconds) => {
          const p = { quota, windowMs: seconds * 1000, cost: 1 };
          const admitted = run([...raw].sort((a, b) => a - b), p);
          for (const start of admitted) {
            const inWindow = admitted.filter((t) => t >= start && t < start + p.windowMs).length;
            expect(inWindow).toBeLessThanOrEqual(quota);
          }
        },
      ),
    );
  });
});
