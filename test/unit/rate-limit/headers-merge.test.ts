// Building RateLimit-Policy / RateLimit and merging them with an origin's own:
// the origin's members are kept, and for a shared name the stricter one wins.
import { describe, expect, it } from "vitest";
import { limitMembers, mergeField, policyMembers } from "../../../src/rate-limit/headers";

const policies = policyMembers([
  { name: "burst", quota: 10, windowSeconds: 1 },
  { name: "daily", quota: 10_000, windowSeconds: 86_400 },
]);
const limits = limitMembers([{ name: "burst", remaining: 3, resetSeconds: 1 }, { name: "daily", remaining: 9_000 }]);

describe("building the fields", () => {
  it("serializes policies and limits as structured-field lists (draft-10 §3, §4)", () => {
    expect(mergeField(null, policies, "q")).toBe('"burst";q=10;w=1, "daily";q=10000;w=86400');
    expect(mergeField(null, limits, "r")).toBe('"burst";r=3;t=1, "daily";r=9000');
  });
});

describe("merging with the origin's fields", () => {
  it("keeps the origin's own policies byte for byte and adds ours", () => {
    expect(mergeField('"origin-hourly";q=500;w=3600;pk=:YWJj:', policies, "q")).toBe(
      '"origin-hourly";q=500;w=3600;pk=:YWJj:, "burst";q=10;w=1, "daily";q=10000;w=86400',
    );
  });

  it("reports the lower remaining when both name the same policy", () => {
    expect(mergeField('"burst";r=1;t=5', limits, "r")).toBe('"burst";r=1;t=5, "daily";r=9000');
    expect(mergeField('"burst";r=7;t=5', limits, "r")).toBe('"burst";r=3;t=1, "daily";r=9000');
  });

  it("keeps the lower quota when both name the same policy", () => {
    expect(mergeField('"daily";q=50;w=86400', policies, "q")).toBe('"daily";q=50;w=86400, "burst";q=10;w=1');
  });

  it("replaces a value that is not a valid list: a client must ignore it anyway (RFC 9651 §4.2)", () => {
    expect(mergeField("burst=5, remaining: 3", limits, "r")).toBe('"burst";r=3;t=1, "daily";r=9000');
    expect(mergeField('"a";r=1,', limits, "r")).toBe('"burst";r=3;t=1, "daily";r=9000');
  });
});
