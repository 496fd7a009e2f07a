// The lease pool's arithmetic with an injected clock: batches sized to the
// demand, grants that end with tokens unspent queued as returns, refills once
// half the demand is spent.
import { describe, expect, it } from "vitest";
import { LeaseEntry } from "../../../src/rate-limit/lease-pool";

const HOLD = 100;

describe("lease entry", () => {
  it("asks for one unit while the key sees one request per hold", () => {
    const entry = new LeaseEntry();
    for (const now of [0, 150, 300, 450]) {
      entry.arrive(now, HOLD);
      expect(entry.ask(now, 10, 1)).toBe(1);
    }
  });

  it("asks for the demand of the last hold period, less what is held or asked for, at most the lease", () => {
    const entry = new LeaseEntry();
    for (let i = 0; i < 8; i++) entry.arrive(i, HOLD);
    expect(entry.ask(8, 20, 1)).toBe(8);
    expect(entry.ask(8, 5, 1)).toBe(5);
    entry.inFlight = 6;
    expect(entry.ask(8, 20, 1)).toBe(2);
    entry.add(2, 8 + HOLD, 108, [], 8);
    expect(entry.ask(8, 20, 0)).toBe(0);
    expect(entry.ask(8, 20, 1)).toBe(1);
    entry.arrive(150, HOLD); // a new period: the last one's eight still count as demand
    expect(entry.demand()).toBe(8);
  });

  it("spends tokens until their hold ends, then queues the rest as a return", () => {
    const entry = new LeaseEntry();
    entry.add(3, 100, 1_100, [], 0);
    expect(entry.take(50)).toBe(true);
    expect(entry.held(50)).toBe(2);
    expect(entry.take(100)).toBe(false);
    expect(entry.takeReturns()).toEqual([{ at: 1_100, requests: 2 }]);
    expect(entry.takeReturns()).toEqual([]);
  });

  it("spends the grant that ends soonest first", () => {
    const entry = new LeaseEntry();
    entry.add(1, 200, 2_000, [], 0);
    entry.add(1, 100, 1_000, [], 0);
    expect(entry.take(10)).toBe(true);
    expect(entry.held(150)).toBe(1);
    expect(entry.takeReturns()).toEqual([]);
  });

  it("wants a refill once at most half the demand is held, and not while one is under way", () => {
    const entry = new LeaseEntry();
    for (let i = 0; i < 10; i++) entry.arrive(i, HOLD);
    entry.add(6, 100, 100, [], 10);
    expect(entry.wantsRefill(10)).toBe(false);
    entry.take(11);
    expect(entry.wantsRefill(11)).toBe(true);
    entry.refilling = true;
    expect(entry.wantsRefill(11)).toBe(false);
  });
});
