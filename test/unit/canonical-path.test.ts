import { describe, expect, it } from "vitest";
import { ambiguity, canonicalPath } from "../../src/routing/canonical-path";

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
