// Costs and several policies checked at once: all or nothing.
import { describe, expect, it } from "vitest";
import { decide, fitsAt, type WindowPolicy } from "../../../src/rate-limit/sliding-window";

const ONE_REQUEST = { requests: 1, holdMs: 0 };
const burst: WindowPolicy = { quota: 2, windowMs: 1_000, cost: 1 };
const daily: WindowPolicy = { quota: 100, windowMs: 86_400_000, cost: 10 };

describe("costs", () => {
  it("takes `cost` units per request and refuses when fewer are left", () => {
    const costly: WindowPolicy = { quota: 25, windowMs: 60_000, cost: 10 };
    let usage = decide([costly], [[]], ONE_REQUEST, 0).usage;
    usage = decide([costly], usage, ONE_REQUEST, 1).usage;
    expect(usage[0]).toEqual([[0, 20]]);
    const third = decide([costly], usage, ONE_REQUEST, 2);
    expect(third.granted).toBe(0);
    expect(third.policies[0]?.remaining).toBe(5);
  });

  it("finds the moment enough units are released for the cost", () => {
    // 12 units in three buckets of a 10 s window (1 s buckets); quota 12, cost 5.
    const usage = [[0, 4], [1_000, 4], [2_000, 4]] as const;
    expect(fitsAt(usage, 12, 10_000, 5, 500)).toBe(12_000); // after the first two buckets release
    expect(fitsAt(usage, 12, 10_000, 13, 500)).toBeUndefined();
  });
});

describe("several policies at once", () => {
  it("admits only when every policy has room, and counts in every one", () => {
    const verdict = decide([burst, daily], [[], []], ONE_REQUEST, 0);
    expect(verdict.granted).toBe(1);
    expect(verdict.policies.map((p) => p.remaining)).toEqual([1, 90]);
  });

  it("counts nothing anywhere when one policy refuses", () => {
    const usage = [[], [[0, 95]]] as const;
    const verdict = decide([burst, daily], usage, ONE_REQUEST, 10);
    expect(verdict.granted).toBe(0);
    expect(verdict.usage).toEqual([[], [[0, 95]]]);
    expect(verdict.policies[0]?.fitsAt).toBeUndefined();
    expect(verdict.policies[1]?.fitsAt).toBe(86_400_000 + 8_640_000);
  });

  it("names every policy that refuses", () => {
    const verdict = decide([burst, daily], [[[0, 2]], [[0, 100]]], ONE_REQUEST, 10);
    expect(verdict.policies.map((p) => p.fitsAt !== undefined)).toEqual([true, true]);
  });
});
