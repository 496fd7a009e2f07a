// strip_prefix: the route's leading segments taken off the target, the rest
// byte for byte, with "/" runs read as routing reads them.
import { describe, expect, it } from "vitest";
import { stripSegments } from "../../../src/upstreams/upstream";

describe("stripping leading segments", () => {
  it.each([
    ["/billing/invoices/7?x=1&y=%2B", 1, "/invoices/7?x=1&y=%2B"],
    ["/billing", 1, "/"],
    ["/billing/", 1, "/"],
    ["/billing?x=1", 1, "/?x=1"],
    ["/t/acme/users/a%2Fb", 2, "/users/a%2Fb"],
    ["/Bill%69ng/x", 1, "/x"],
    ["//billing//x", 1, "//x"],
    ["/billing;v=1/x", 1, "/x"],
    ["/billing/x", 0, "/billing/x"],
  ])("%s minus %i segment(s) is %s", (target, count, expected) => {
    expect(stripSegments(target, count)).toBe(expected);
  });
});
