// The circuit breaker of one URL, driven by an injected clock: closed, open
// after N consecutive failures, one half-open probe after the cool-down.
import { describe, expect, it } from "vitest";
import { admission, admit, admittedAt, recordFailure, recordSuccess, releaseProbe, type BreakerState } from "../../../src/upstreams/breaker";

const settings = { failures: 3, cooldownMs: 10_000 };
const PROBE_MS = 2_000;
const fresh = (): BreakerState => ({ failures: 0, openUntil: 0, probeUntil: 0 });

function failTimes(state: BreakerState, n: number, now: number): void {
  for (let i = 0; i < n; i++) recordFailure(state, settings, now);
}

describe("closed", () => {
  it("admits requests until the threshold of consecutive failures", () => {
    const state = fresh();
    failTimes(state, 2, 0);
    expect(admission(state, settings, 0)).toBe("closed");
    expect(admit(state, settings, 0, PROBE_MS)).toBe(true);
  });

  it("forgets failures after a success: only consecutive ones count", () => {
    const state = fresh();
    failTimes(state, 2, 0);
    recordSuccess(state);
    failTimes(state, 2, 0);
    expect(admission(state, settings, 0)).toBe("closed");
  });
});

describe("open", () => {
  it("skips the URL for the cool-down once the threshold is reached", () => {
    const state = fresh();
    failTimes(state, 3, 1_000);
    expect(admission(state, settings, 1_000)).toBe("open");
    expect(admit(state, settings, 10_999, PROBE_MS)).toBe(false);
    expect(admittedAt(state, settings, 5_000)).toBe(11_000);
  });
});

describe("half-open", () => {
  it("admits exactly one probe after the cool-down; others skip while it is out", () => {
    const state = fresh();
    failTimes(state, 3, 0);
    expect(admission(state, settings, 10_000)).toBe("probe");
    expect(admit(state, settings, 10_000, PROBE_MS)).toBe(true);
    expect(admit(state, settings, 10_001, PROBE_MS)).toBe(false);
    expect(admittedAt(state, settings, 10_001)).toBe(12_000);
  });

  it("closes on the probe's success", () => {
    const state = fresh();
    failTimes(state, 3, 0);
    admit(state, settings, 10_000, PROBE_MS);
    recordSuccess(state);
    expect(admission(state, settings, 10_001)).toBe("closed");
  });

  it("opens for another cool-down on the probe's failure", () => {
    const state = fresh();
    failTimes(state, 3, 0);
    admit(state, settings, 10_000, PROBE_MS);
    recordFailure(state, settings, 10_500);
    expect(admission(state, settings, 20_499)).toBe("open");
    expect(admission(state, settings, 20_500)).toBe("probe");
  });

  it("lets another request probe once a probe that never reported back lapses", () => {
    const state = fresh();
    failTimes(state, 3, 0);
    admit(state, settings, 10_000, PROBE_MS);
    expect(admit(state, settings, 11_999, PROBE_MS)).toBe(false);
    expect(admit(state, settings, 12_000, PROBE_MS)).toBe(true);
  });

  it("gives a probe back when its attempt said nothing about the URL", () => {
    const state = fresh();
    failTimes(state, 3, 0);
    admit(state, settings, 10_000, PROBE_MS);
    releaseProbe(state);
    expect(admit(state, settings, 10_001, PROBE_MS)).toBe(true);
  });
});
