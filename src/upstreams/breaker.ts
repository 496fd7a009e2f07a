/**
 * Passive health per URL: a circuit breaker whose state each isolate keeps
 * for itself (no coordination between isolates, no I/O). Pure: every function
 * is given the time, so tests drive the clock.
 *
 *   closed     requests go to the URL; `failures` consecutive failures open it
 *   open       skipped until `cooldownMs` have passed since it opened
 *   half-open  after the cool-down one request probes it: a success closes the
 *              breaker, a failure opens it for another cool-down. Other
 *              requests skip the URL while the probe is out; a probe that
 *              never reports back (its invocation was cancelled) lapses after
 *              `probeMs`, and the next request probes again.
 *
 * Only synchronous state lives here (src/isolate.ts): a request reads and
 * updates it between its own awaits, never waits on another's.
 */
import { perIsolate } from "../isolate";
import type { BreakerSettings } from "./config";

export interface BreakerState {
  /** Consecutive failures (reset by a success). */
  failures: number;
  /** While open: until when. 0 when closed. */
  openUntil: number;
  /** While a half-open probe is out: when it lapses. 0 when none is. */
  probeUntil: number;
}

export type Admission = "closed" | "probe" | "open";

/** What a request may do with the URL now, without changing anything. */
export function admission(state: BreakerState, settings: BreakerSettings, now: number): Admission {
  if (state.failures < settings.failures) return "closed";
  if (now < state.openUntil || now < state.probeUntil) return "open";
  return "probe";
}

/** Admits a request to the URL, or not; a half-open admission takes the one probe. */
export function admit(state: BreakerState, settings: BreakerSettings, now: number, probeMs: number): boolean {
  const decision = admission(state, settings, now);
  if (decision === "probe") state.probeUntil = now + probeMs;
  return decision !== "open";
}

export function recordSuccess(state: BreakerState): void {
  state.failures = 0;
  state.openUntil = 0;
  state.probeUntil = 0;
}

export function recordFailure(state: BreakerState, settings: BreakerSettings, now: number): void {
  state.failures += 1;
  state.probeUntil = 0;
  if (state.failures >= settings.failures) state.openUntil = now + settings.cooldownMs;
}

/** An attempt that says nothing about the URL (the client's body passed its limit): a probe it held is given back. */
export function releaseProbe(state: BreakerState): void {
  state.probeUntil = 0;
}

/** When a request may next be admitted (now, if it may be now). */
export function admittedAt(state: BreakerState, settings: BreakerSettings, now: number): number {
  if (admission(state, settings, now) !== "open") return now;
  return Math.max(state.openUntil, state.probeUntil);
}

const states = perIsolate(() => new Map<string, BreakerState>());

/** The isolate's state of one URL, by the key compiled for it (upstream.ts). */
export function breakerState(key: string): BreakerState {
  const all = states.get();
  let state = all.get(key);
  if (state === undefined) {
    state = { failures: 0, openUntil: 0, probeUntil: 0 };
    all.set(key, state);
  }
  return state;
}
