/**
 * The seam between the rate-limit steps and whatever keeps the counts. Both methods
 * RETURN an outcome and never throw: an unreachable, slow or overloaded store
 * is the outcome "unchecked", and the caller applies the route's failure mode
 * (fail-open or fail-closed). The Durable Object implementation is in
 * durable-object-limiter.ts.
 */
import type { ObjectPolicy, RateLimiter } from "./rate-limiter-object";

export interface LimitRequest {
  /** The rate-limit key (keys.ts): one Durable Object per key. */
  readonly key: string;
  /** Checked together: admitted only if every policy has room, then counted in every one. */
  readonly policies: readonly ObjectPolicy[];
  /** Requests to lease at once for a hot key; 0 or 1 = no lease. */
  readonly lease: number;
  /** How long leased requests may be held (sliding-window.ts leaseHoldMs). */
  readonly holdMs: number;
  /** The store must make the count durable before it answers (slower). */
  readonly confirmWrites: boolean;
  /** Budget for the one call to the store. */
  readonly timeoutMs: number;
  /**
   * Keeps work this request starts alive past its response (the execution
   * context's waitUntil): a lease refill no request waits for.
   */
  readonly background?: (work: Promise<unknown>) => void;
}

export interface PolicyStatus {
  readonly name: string;
  readonly remaining: number;
  /** Milliseconds until more quota is made available; undefined when nothing counts (or unknown). */
  readonly releaseInMs: number | undefined;
}

export type LimitResult =
  | {
      readonly outcome: "allowed";
      readonly policies: readonly PolicyStatus[];
      /** "lease": served from tokens this isolate leased earlier, no call made. */
      readonly via: "object" | "lease";
    }
  | {
      readonly outcome: "denied";
      /** Only the policies known at the time; the blocked cache knows only the violated ones. */
      readonly policies: readonly PolicyStatus[];
      readonly violated: readonly string[];
      /** When one more request fits in every violated policy. */
      readonly retryInMs: number;
      /** "blocked": answered from this isolate's blocked-until cache, no call made. */
      readonly via: "object" | "blocked";
    }
  | { readonly outcome: "unchecked"; readonly reason: string };

export interface FailureRequest {
  /** e.g. "auth-failures:ip:203.0.113.7". */
  readonly key: string;
  readonly attempts: number;
  readonly windowSeconds: number;
  readonly lockoutSeconds: number;
  readonly timeoutMs: number;
}

export type FailureResult =
  | {
      readonly outcome: "recorded";
      /** Failures counted in the window, this one included. */
      readonly failures: number;
      /** 0 unless the key is (now) locked. */
      readonly lockedForMs: number;
    }
  | { readonly outcome: "unchecked"; readonly reason: string };

/** The Worker's RATE_LIMITER binding (or, in tests, a stand-in with the same shape). */
export type LimiterNamespace = Pick<DurableObjectNamespace<RateLimiter>, "getByName">;

export interface Limiter {
  check(namespace: LimiterNamespace | undefined, request: LimitRequest): Promise<LimitResult>;
  recordFailure(namespace: LimiterNamespace | undefined, request: FailureRequest): Promise<FailureResult>;
}
