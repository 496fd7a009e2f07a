// Failed authentication is throttled: after `attempts` failures from one IP,
// or with one credential, further attempts get 429 until the lock ends.
import { afterEach, describe, expect, it, vi } from "vitest";
import { AUDIENCE, HMAC_SECRET, ISSUER, digestOf } from "../../helpers/auth";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";
import { countingLimiter, readLimitField } from "../../helpers/rate-limit";

afterEach(() => {
  vi.restoreAllMocks();
});

const KEY = "pcl_lockout_test_key_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";

async function vars(limiter: { namespace: unknown }) {
  return {
    RATE_LIMITER: limiter.namespace,
    PORTCULLIS: {
      auth: { keys: { [await digestOf(KEY)]: { consumer: "acme" } } },
      auth_failures: { attempts: 3, window_seconds: 60, lockout_seconds: 1 },
      routes: [{ pattern: "/private", auth: "api_key" }],
    },
  };
}

/** A JWT route and a public route next to each other, the lockout on. */
function jwtVars(limiter: { namespace: unknown }) {
  return {
    RATE_LIMITER: limiter.namespace,
    JWT_SECRET: HMAC_SECRET,
    PORTCULLIS: {
      auth: { jwt: { algorithms: ["HS256"], secret_binding: "JWT_SECRET", issuer: ISSUER, audience: AUDIENCE } },
      auth_failures: { attempts: 3, window_seconds: 60, lockout_seconds: 60 },
      routes: [{ pattern: "/jwt", auth: "jwt" }, { pattern: "/public" }],
    },
  };
}

function attempt(ip: string, key: string | undefined, v: Record<string, unknown>): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": ip };
  if (key !== undefined) headers["x-api-key"] = key;
  return send("/private", { headers }, v);
}

describe("failed-authentication lockout", () => {
  it("locks an IP after the allowed failures, then lets it in again when the lock ends", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = countingLimiter();
    const v = await vars(limiter);
    for (let i = 1; i <= 3; i++) {
      const res = await attempt("203.0.113.80", `pcl_wrong_${i}`, v);
      expect(res.status).toBe(401);
      expect(res.headers.get("ratelimit-policy")).toBe('"auth-failures";q=3;w=60');
      expect(readLimitField(res.headers.get("ratelimit")).get("auth-failures")?.r).toBe(3 - i);
    }
    const calls = limiter.calls();

    // Locked: even the right key is refused, from the isolate's lock cache.
    const locked = await attempt("203.0.113.80", KEY, v);
    expect(locked.status).toBe(429);
    const problem = await readProblem(locked);
    expect(problem.type).toBe("https://iana.org/assignments/http-problem-types#quota-exceeded");
    expect(problem["violated-policies"]).toEqual(["auth-failures"]);
    expect(locked.headers.get("retry-after")).toBe("1");
    expect(readLimitField(locked.headers.get("ratelimit")).get("auth-failures")).toEqual({ r: 0, t: 1 });
    expect(limiter.calls()).toBe(calls);

    // Another client is not affected.
    expect((await attempt("203.0.113.81", KEY, v)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await attempt("203.0.113.80", KEY, v)).status).toBe(200);
  });

  it("locks a credential that keeps failing, whatever IP it comes from", async () => {
    mockOrigin(() => new Response("ok"));
    const v = await vars(countingLimiter());
    for (const ip of ["198.51.100.81", "198.51.100.82", "198.51.100.83"]) {
      expect((await attempt(ip, "pcl_revoked_key", v)).status).toBe(401);
    }
    expect((await attempt("198.51.100.84", "pcl_revoked_key", v)).status).toBe(429);
  });

  it("does not count requests that present no credential, and costs successes no object call", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = countingLimiter();
    const v = await vars(limiter);
    for (let i = 0; i < 5; i++) expect((await attempt("192.0.2.85", undefined, v)).status).toBe(401);
    expect((await attempt("192.0.2.85", KEY, v)).status).toBe(200);
    expect(limiter.calls()).toBe(0);
  });

  it("counts a bad token on a JWT route even when an API key header rides along", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const v = jwtVars(countingLimiter());
    // A JWT route reads no API key, so the extra header neither hides the token from the lockout nor counts itself.
    const headers = { "cf-connecting-ip": "198.51.100.91", authorization: "Bearer a.b.c", "x-api-key": "junk" };
    for (let i = 0; i < 3; i++) expect((await send("/jwt", { headers }, v)).status).toBe(401);
    const locked = await send("/jwt", { headers }, v);
    expect(locked.status).toBe(429);
    expect((await readProblem(locked))["violated-policies"]).toEqual(["auth-failures"]);
    expect(origin.calls).toHaveLength(0);
  });

  it("does not count an API key sent to a JWT route, nor anything on a public route", async () => {
    mockOrigin(() => new Response("ok"));
    const limiter = countingLimiter();
    const v = jwtVars(limiter);
    for (let i = 0; i < 4; i++) {
      expect((await send("/jwt", { headers: { "cf-connecting-ip": "198.51.100.92", "x-api-key": "pcl_some_key" } }, v)).status).toBe(401);
      expect((await send("/public", { headers: { "cf-connecting-ip": "198.51.100.92", authorization: "Bearer a.b.c" } }, v)).status).toBe(200);
    }
    expect(limiter.calls()).toBe(0);
  });
});
