/** Tools for the rate-limit tests: a structured-field check, and stand-ins for the RATE_LIMITER binding. */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { CheckCall, CheckReply, FailureCall, FailureReply, RateLimiter } from "../../src/rate-limit/rate-limiter-object";

// RFC 9651 §3.1 List whose members are Items with parameters (§3.1.2), written
// out from the ABNF independently of the gateway's own parser.
const SF_STRING = String.raw`"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*"`;
const SF_TOKEN = String.raw`[A-Za-z*][!#$%&'*+.^_${"`"}|~0-9A-Za-z:/-]*`;
const BARE_ITEM = String.raw`(?:-?\d{1,15}|-?\d{1,12}\.\d{1,3}|${SF_STRING}|${SF_TOKEN}|\?[01]|:[A-Za-z0-9+/=]*:)`;
const PARAMETERS = String.raw`(?:;[ ]*[a-z*][a-z0-9_.*-]*(?:=${BARE_ITEM})?)*`;
const MEMBER = `${BARE_ITEM}${PARAMETERS}`;
const SF_LIST = new RegExp(String.raw`^${MEMBER}(?:[ \t]*,[ \t]*${MEMBER})*$`);

/**
 * Checks a RateLimit / RateLimit-Policy value against the List grammar and
 * reads it: policy name → its integer parameters.
 */
export function readLimitField(value: string | null): Map<string, Record<string, number>> {
  expect(value, "field present").not.toBeNull();
  const text = value ?? "";
  expect(text).toMatch(SF_LIST);
  const out = new Map<string, Record<string, number>>();
  for (const member of text.matchAll(/"([^"]*)"((?:;[a-z]+=-?\d+)*)/g)) {
    const params: Record<string, number> = {};
    for (const [, key, number] of (member[2] ?? "").matchAll(/;([a-z]+)=(-?\d+)/g)) params[key ?? ""] = Number(number);
    out.set(member[1] ?? "", params);
  }
  return out;
}

interface LimiterStub {
  check(call: CheckCall): Promise<CheckReply>;
  recordFailure(call: FailureCall): Promise<FailureReply>;
}

/** The real binding, counting every RPC made through it (and keeping each check call). */
export function countingLimiter(): { namespace: unknown; calls: () => number; checks: CheckCall[] } {
  let calls = 0;
  const checks: CheckCall[] = [];
  const real: DurableObjectNamespace<RateLimiter> = env.RATE_LIMITER;
  const namespace = {
    getByName(name: string): LimiterStub {
      const stub = real.getByName(name);
      return {
        check: (call) => {
          calls++;
          checks.push(call);
          return stub.check(call);
        },
        recordFailure: (call) => {
          calls++;
          return stub.recordFailure(call);
        },
      };
    },
  };
  return { namespace, calls: () => calls, checks };
}

/** A binding whose objects fail the way `fail` says (throw, hang, overload), counting calls. */
export function failingLimiter(fail: () => Promise<never>): { namespace: unknown; calls: () => number } {
  let calls = 0;
  const stub: LimiterStub = {
    check: () => {
      calls++;
      return fail();
    },
    recordFailure: () => {
      calls++;
      return fail();
    },
  };
  return { namespace: { getByName: () => stub }, calls: () => calls };
}

/** The error Durable Object infrastructure throws for an overloaded object. */
export function overloaded(): Error {
  return Object.assign(new Error("Durable Object is overloaded. Too many requests queued."), { overloaded: true });
}
