import { describe, expect, it } from "vitest";
import { ambiguity, canonicalPath } from "../../src/routing/canonical-path";
import { compilePattern } from "../../src/routing/route-pattern";

describe("canonical path for route matching (RFC 3986 §6.2.2)", () => {
  it("decodes unreserved characters and upper-cases other escapes", () => {
    expect(canonicalPath("/%61dmin/x")).toBe("/admin/x");
    expect(canonicalPath("/files/a%7eb%2dc")).toBe("/files/a~b-c");
    expect(canonicalPath("/files/a%20b%c3%a9")).toBe("/files/a%20b%C3%A9");
    expect(canonicalPath("/plain/path")).toBe("/plain/path");
  });

  it("finds nothing ambiguous in plain paths and unreserved escapes", () => {
    for (const path of ["/%61dmin/x", "/files/a%20b%c3%a9", "/plain/path", "/a.b/c..d"]) expect(ambiguity(path, canonicalPath(path))).toBeUndefined();
  });

  it.each([
    ["/public/..%2Fadmin/x", "an encoded slash (%2F)"],
    ["/admin%2fx", "an encoded slash (%2F)"],
    ["/a%5Cb", "an encoded backslash (%5C)"],
    ["//admin/x", "an empty segment (//)"],
    ["/admin//x", "an empty segment (//)"],
    ["/admin;x/x", "a path parameter (;)"],
    ["/a/%252e%252e/b", "a double-encoded character (%25XX)"],
    ["/a%00b", "an encoded control character"],
    ["/a/%2E%2E/b", "a dot segment (. or ..)"],
  ])("refuses %s (%s)", (path, reason) => {
    expect(ambiguity(path, canonicalPath(path))).toBe(reason);
  });
});

describe("readings merged for matching, as origins read them", () => {
  it("merges runs of slashes and drops ;parameters (nginx merge_slashes, Tomcat/Spring)", () => {
    expect(canonicalPath("//admin//x")).toBe("/admin/x");
    expect(canonicalPath("/admin;jsessionid=1/x;v=2")).toBe("/admin/x");
  });
});

describe("route patterns", () => {
  it("match exact and parameter paths with one trailing slash, case-insensitively", () => {
    const exact = compilePattern("/ops");
    for (const path of ["/ops", "/ops/", "/OPS/"]) expect(exact.matches(path), path).toBe(true);
    for (const path of ["/ops//", "/ops/x", "/opsx"]) expect(exact.matches(path), path).toBe(false);
    const param = compilePattern("/users/:id");
    expect(param.matches("/users/42/")).toBe(true);
    expect(param.matches("/users/")).toBe(false);
    expect(param.matches("/users/42/x")).toBe(false);
    expect(compilePattern("/").matches("/")).toBe(true);
  });

  it("match a prefix itself and everything below it", () => {
    const prefix = compilePattern("/scim/v2/*");
    for (const path of ["/scim/v2", "/scim/v2/", "/scim/v2/Users/1"]) expect(prefix.matches(path), path).toBe(true);
    expect(prefix.matches("/scim/v2x")).toBe(false);
  });
});
