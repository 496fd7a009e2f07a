/**
 * Failover as pure logic: which URL a request goes to next, whether it may go
 * on after a failure, and the record of every attempt for the log line. The
 * proxy (src/proxy/exchange.ts) does the I/O and reports each outcome here.
 *
 * The rules (docs/upstreams.md):
 * - URLs are tried in the order listed, each at most once, skipping those
 *   whose breaker is open (breaker.ts);
 * - a connection failure before any response (refused, reset, DNS) goes on
 *   to the next URL when the body can be sent again: no body, or one buffered
 *   whole because it declared a Content-Length of at most MAX_REPLAY_BYTES;
 *   a streamed body never;
 * - a response whose status is in `retry_on` goes on likewise, and only for
 *   an idempotent method (RFC 9110 §9.2.2);
 * - the route's deadline covers every attempt (the proxy's one timer).
 * Breakers count connection failures, deadlines and `retry_on` statuses as
 * failures of the URL; any other response is a success.
 */
import { admit, admittedAt, breakerState, recordFailure, recordSuccess, releaseProbe, type BreakerState } from "./breaker";
import type { Upstream, UpstreamTarget } from "./upstream";

/** A body is buffered for another attempt only up to this declared length. */
export const MAX_REPLAY_BYTES = 64 * 1024;

const IDEMPOTENT: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

/** How the request's body can be sent: not at all, from a buffer (any number of times), or streamed once. */
export type BodyReplay = "none" | "buffered" | "streamed";

/** `contentLength`: the declared length, already validated by the request checks; null when none was declared. */
export function bodyReplay(hasBody: boolean, contentLength: string | null, failover: boolean): BodyReplay {
  if (!hasBody) return "none";
  if (!failover || contentLength === null) return "streamed";
  return Number(contentLength) <= MAX_REPLAY_BYTES ? "buffered" : "streamed";
}

export type AttemptOutcome = "ok" | "retry_on" | "no_response" | "timeout" | "abandoned" | "skipped_open";

/** One line of `upstream_attempts` in the request's log line. */
export interface AttemptRecord {
  readonly url: string;
  readonly outcome: AttemptOutcome;
  readonly status?: number;
  readonly ms?: number;
  /** The runtime's reason for a connection failure (operator only). */
  readonly error?: string;
}

export class Attempts {
  readonly records: AttemptRecord[] = [];
  #index = 0;
  #current: { target: UpstreamTarget; state: BreakerState | undefined; started: number } | undefined;

  /** `probeMs`: how long a half-open probe may be out (the route's deadline). */
  constructor(
    readonly upstream: Upstream,
    readonly method: string,
    readonly replay: BodyReplay,
    readonly probeMs: number,
  ) {}

  /** Attempts made so far. */
  get made(): number {
    return this.records.filter((r) => r.outcome !== "skipped_open").length;
  }

  /** The next URL to try, or undefined when none is left (those with an open breaker are skipped and recorded). */
  next(now: number): UpstreamTarget | undefined {
    const { targets, breaker } = this.upstream;
    while (this.#index < targets.length) {
      const target = targets[this.#index++] as UpstreamTarget;
      const state = breaker === undefined ? undefined : breakerState(target.breakerKey);
      if (state !== undefined && breaker !== undefined && !admit(state, breaker, now, this.probeMs)) {
        this.records.push({ url: target.label, outcome: "skipped_open" });
        continue;
      }
      this.#current = { target, state, started: now };
      return target;
    }
    return undefined;
  }

  /** The current attempt got a response that ends the exchange (or is retried: `retry_status`). */
  answered(status: number, now: number): void {
    const failed = this.upstream.retryOn.has(status);
    this.#finish(failed ? "retry_on" : "ok", now, failed, status);
  }

  /** The current attempt failed before any response: refused, reset, DNS, or the Worker behind a binding threw. */
  noResponse(error: string, now: number): void {
    this.#finish("no_response", now, true, undefined, error);
  }

  /** The route's deadline passed during the current attempt. */
  timedOut(now: number): void {
    this.#finish("timeout", now, true);
  }

  /** The attempt ended for a reason that says nothing about the URL (the client's body passed its limit). */
  abandoned(now: number): void {
    const current = this.#current;
    if (current?.state !== undefined) releaseProbe(current.state);
    this.#finish("abandoned", now, undefined);
  }

  /** After a connection failure: may the request go on to the next URL? */
  mayRetryNoResponse(now: number): boolean {
    return this.replay !== "streamed" && this.#hasNext(now);
  }

  /** After a response with this status: may the request go on to the next URL? */
  mayRetryStatus(status: number, now: number): boolean {
    return this.upstream.retryOn.has(status) && IDEMPOTENT.has(this.method) && this.replay !== "streamed" && this.#hasNext(now);
  }

  /** Seconds until some URL admits a request again, for Retry-After when every breaker is open (at least 1). */
  retryAfterSeconds(now: number): number {
    const { targets, breaker } = this.upstream;
    if (breaker === undefined) return 1;
    const soonest = Math.min(...targets.map((t) => admittedAt(breakerState(t.breakerKey), breaker, now)));
    return Math.max(1, Math.ceil((soonest - now) / 1000));
  }

  #hasNext(now: number): boolean {
    const { targets, breaker } = this.upstream;
    for (let i = this.#index; i < targets.length; i++) {
      const target = targets[i] as UpstreamTarget;
      if (breaker === undefined || admittedAt(breakerState(target.breakerKey), breaker, now) <= now) return true;
    }
    return false;
  }

  /** `failed`: what the breaker counts (undefined: nothing). */
  #finish(outcome: AttemptOutcome, now: number, failed: boolean | undefined, status?: number, error?: string): void {
    const current = this.#current;
    if (current === undefined) return;
    this.#current = undefined;
    const { breaker } = this.upstream;
    if (current.state !== undefined && breaker !== undefined && failed !== undefined) {
      if (failed) recordFailure(current.state, breaker, now);
      else recordSuccess(current.state);
    }
    const record: { -readonly [K in keyof AttemptRecord]: AttemptRecord[K] } = { url: current.target.label, outcome, ms: now - current.started };
    if (status !== undefined) record.status = status;
    if (error !== undefined) record.error = error;
    this.records.push(record);
  }
}
