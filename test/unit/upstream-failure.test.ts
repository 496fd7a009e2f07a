// One order when the body limit and the deadline both fail an upstream
// exchange: the first to happen (the abort signal's first reason) decides.
import { describe, expect, it } from "vitest";
import { BodyLimitExceeded } from "../../src/proxy/byte-counter";
import { UpstreamTimeout, classifyFailure } from "../../src/proxy/upstream-failure";

function firstReason(...reasons: Error[]): unknown {
  const abort = new AbortController();
  for (const reason of reasons) abort.abort(reason);
  return abort.signal.reason;
}

describe("classifying upstream failures", () => {
  it("a body over its limit before the deadline is 413, even if the deadline fires next", () => {
    expect(classifyFailure(firstReason(new BodyLimitExceeded(1024), new UpstreamTimeout(500)), new Error("aborted"), 1024).kind).toBe("content-too-large");
  });

  it("a deadline before the body passed its limit is 504, even if more of the body arrives next", () => {
    expect(classifyFailure(firstReason(new UpstreamTimeout(500), new BodyLimitExceeded(1024)), new Error("aborted"), 1024).kind).toBe("gateway-timeout");
  });

  it("anything else is 502, and the cause stays in the log", () => {
    const error = classifyFailure(undefined, new TypeError("connection refused"), 1024);
    expect(error.kind).toBe("bad-gateway");
    expect(error.detail).not.toContain("refused");
  });
});
