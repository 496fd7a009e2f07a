// The attempt plan: URLs in order, each at most once, open breakers skipped;
// going on after a failure only with a body that can be sent again, and after
// a retry_on status only for idempotent methods.
import { describe, expect, it } from "vitest";
import { Attempts, MAX_REPLAY_BYTES, bodyReplay } from "../../../src/upstreams/attempts";
import type { UpstreamSettings } from "../../../src/upstreams/config";
import { compileUpstream } from "../../../src/upstreams/upstream";

const urls = (...hosts: string[]) => hosts.map((host) => ({ base: `https://${host}`, protocol: "https:", host, path: "" }));

function upstream(overrides: Partial<UpstreamSettings> = {}) {
  return compileUpstream({
    name: "api",
    transport: { kind: "fetch" },
    urls: urls("a.test", "b.test", "c.test"),
    timeoutMs: undefined,
    retryOn: [503],
    breaker: { failures: 2, cooldownMs: 30_000 },
    ...overrides,
  });
}

describe("which body can be sent again", () => {
  it("none is always replayable; a declared length up to the limit is buffered", () => {
    expect(bodyReplay(false, null, true)).toBe("none");
    expect(bodyReplay(true, String(MAX_REPLAY_BYTES), true)).toBe("buffered");
    expect(bodyReplay(true, "0", true)).toBe("buffered");
  });

  it("a chunked body, one over the limit, or any body without failover streams once", () => {
    expect(bodyReplay(true, null, true)).toBe("streamed");
    expect(bodyReplay(true, String(MAX_REPLAY_BYTES + 1), true)).toBe("streamed");
    expect(bodyReplay(true, "10", false)).toBe("streamed");
  });
});

describe("the order of attempts", () => {
  it("tries the URLs in the order listed, each once", () => {
    const attempts = new Attempts(upstream(), "GET", "none", 1000);
    const seen: (string | undefined)[] = [];
    for (let t = attempts.next(0); t !== undefined; t = attempts.next(0)) {
      seen.push(t.base);
      attempts.noResponse("refused", 0);
    }
    expect(seen).toEqual(["https://a.test", "https://b.test", "https://c.test"]);
    expect(attempts.made).toBe(3);
  });

  it("skips a URL whose breaker is open, and records the skip", () => {
    const api = upstream();
    for (let i = 0; i < 2; i++) {
      const first = new Attempts(api, "GET", "none", 1000);
      first.next(0);
      first.noResponse("refused", 0);
    }
    const attempts = new Attempts(api, "GET", "none", 1000);
    expect(attempts.next(1)?.base).toBe("https://b.test");
    expect(attempts.records).toEqual([{ url: "https://a.test", outcome: "skipped_open" }]);
  });

  it("has nothing to offer while every breaker is open, and says when one reopens", () => {
    const api = upstream({ urls: urls("a.test", "b.test") });
    for (let i = 0; i < 2; i++) {
      const round = new Attempts(api, "GET", "none", 1000);
      for (let t = round.next(0); t !== undefined; t = round.next(0)) round.noResponse("refused", 0);
    }
    const attempts = new Attempts(api, "GET", "none", 1000);
    expect(attempts.next(12_000)).toBeUndefined();
    expect(attempts.made).toBe(0);
    expect(attempts.retryAfterSeconds(12_000)).toBe(18);
  });
});

describe("going on after a failure", () => {
  it("after a connection failure with no body or a buffered one; never with a streamed one", () => {
    for (const [replay, expected] of [["none", true], ["buffered", true], ["streamed", false]] as const) {
      const attempts = new Attempts(upstream(), "POST", replay, 1000);
      attempts.next(0);
      attempts.noResponse("refused", 0);
      expect(attempts.mayRetryNoResponse(0)).toBe(expected);
    }
  });

  it("after a retry_on status only for idempotent methods", () => {
    for (const [method, expected] of [["GET", true], ["PUT", true], ["DELETE", true], ["POST", false], ["PATCH", false]] as const) {
      const attempts = new Attempts(upstream(), method, "none", 1000);
      attempts.next(0);
      attempts.answered(503, 0);
      expect(attempts.mayRetryStatus(503, 0)).toBe(expected);
    }
  });

  it("never after a status not in retry_on, nor past the last URL", () => {
    const attempts = new Attempts(upstream(), "GET", "none", 1000);
    attempts.next(0);
    attempts.answered(500, 0);
    expect(attempts.mayRetryStatus(500, 0)).toBe(false);
    attempts.next(0);
    attempts.next(0);
    attempts.answered(503, 0);
    expect(attempts.mayRetryStatus(503, 0)).toBe(false);
  });
});

describe("what the breaker counts", () => {
  it("counts retry_on statuses and deadlines as failures, other answers as successes", () => {
    const api = upstream({ urls: urls("a.test"), retryOn: [] });
    const run = (outcome: (a: Attempts) => void) => {
      const attempts = new Attempts(api, "GET", "none", 1000);
      attempts.next(0);
      outcome(attempts);
    };
    run((a) => a.timedOut(0));
    run((a) => a.answered(404, 0));
    run((a) => a.timedOut(0));
    expect(new Attempts(api, "GET", "none", 1000).next(0)?.base).toBe("https://a.test");
    run((a) => a.timedOut(0));
    expect(new Attempts(api, "GET", "none", 1000).next(0)).toBeUndefined();
  });

  it("logs every attempt with its outcome, status and time", () => {
    const attempts = new Attempts(upstream(), "GET", "none", 1000);
    attempts.next(100);
    attempts.noResponse("Error: Network connection lost.", 130);
    attempts.next(130);
    attempts.answered(503, 150);
    attempts.next(150);
    attempts.answered(200, 151);
    expect(attempts.records).toEqual([
      { url: "https://a.test", outcome: "no_response", ms: 30, error: "Error: Network connection lost." },
      { url: "https://b.test", outcome: "retry_on", status: 503, ms: 20 },
      { url: "https://c.test", outcome: "ok", status: 200, ms: 1 },
    ]);
  });
});
