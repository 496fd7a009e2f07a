// Mistakes that change behaviour without being typos: each gets its own
// precise message (npm run check and the Worker share the parser).
import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../src/config/gateway-config";
import { shadows } from "../../src/routing/route-pattern";

const ORIGIN_URL = "https://api.example.com";
const issuesOf = (PORTCULLIS: unknown): string[] => {
  const result = parseGatewayConfig({ ORIGIN_URL, PORTCULLIS });
  return result.ok ? [] : result.issues;
};

describe("routes that can never match", () => {
  it("names a route an earlier prefix route shadows, and says what to do", () => {
    expect(issuesOf({ routes: [{ pattern: "/users/*" }, { pattern: "/users/:id" }] })).toEqual([
      'PORTCULLIS.routes[1].pattern: "/users/:id" can never match: routes[0] ("/users/*") comes first and matches every path it does; list the more specific route first',
    ]);
  });

  it("names a duplicate pattern, whatever its case", () => {
    expect(issuesOf({ routes: [{ pattern: "/health" }, { pattern: "/Health" }] })).toEqual([
      'PORTCULLIS.routes[1].pattern: "/Health" is also routes[0]\'s pattern; only the first of the two is ever chosen',
    ]);
  });

  it("accepts the specific route first", () => {
    expect(issuesOf({ routes: [{ pattern: "/users/me" }, { pattern: "/users/:id" }, { pattern: "/users/*" }] })).toEqual([]);
  });

  it("knows which patterns cover which", () => {
    expect(shadows("/users/:id", "/users/me")).toBe(true);
    expect(shadows("/users/me", "/users/:id")).toBe(false);
    expect(shadows("/a/*", "/a")).toBe(true);
    expect(shadows("/a/*", "/a/b/*")).toBe(true);
    expect(shadows("/a/b/*", "/a/*")).toBe(false);
    expect(shadows("/a/:x", "/a/:y/c")).toBe(false);
    expect(shadows("/a", "/a/*")).toBe(false);
  });
});

describe("patterns in another framework's syntax", () => {
  it("says {id} is written :id here", () => {
    expect(issuesOf({ routes: [{ pattern: "/users/{id}" }] })).toEqual([
      'PORTCULLIS.routes[0].pattern: segment "{id}" is a parameter in OpenAPI\'s syntax; write it ":id", got "/users/{id}"',
    ]);
  });
});

describe("a route listing a policy whose definition is broken", () => {
  it("gets the definition's mistake only, never a misleading 'unknown policy'", () => {
    expect(issuesOf({ rate_limits: { daily: { window_seconds: 86_400 } }, defaults: { rate_limits: ["daily"] } })).toEqual([
      "PORTCULLIS.rate_limits.daily.quota: required: quota units allowed per window, e.g. 100",
    ]);
  });
});
