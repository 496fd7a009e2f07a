// Parsing PORTCULLIS.cors and the route key `cors`: what is read, and a
// message naming every mistake (npm run check prints exactly these).
import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../../src/config/gateway-config";

const ORIGIN_URL = "https://api.example.com";

function issues(portcullis: Record<string, unknown>): string[] {
  const result = parseGatewayConfig({ ORIGIN_URL, PORTCULLIS: portcullis });
  return result.ok ? [] : result.issues;
}

describe("CORS configuration", () => {
  it("compiles the policy per route, with the route's methods, and inherits [defaults]", () => {
    const result = parseGatewayConfig({
      ORIGIN_URL,
      PORTCULLIS: {
        cors: { web: { origins: ["https://app.example.com"], headers: ["Content-Type", "X-API-Key"], expose_headers: ["ETag", "x-request-id"], credentials: true, max_age: 60 } },
        defaults: { cors: "web" },
        routes: [{ pattern: "/read", methods: ["GET"] }, { pattern: "/own", cors: false }],
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [read, own] = result.config.routes;
    expect(result.config.defaultRoute.settings.cors?.policy.name).toBe("web");
    expect(read?.settings.cors?.preflightHeaders).toEqual([
      ["access-control-allow-methods", "GET, HEAD"],
      ["access-control-allow-headers", "content-type, x-api-key"],
      ["access-control-max-age", "60"],
      ["access-control-allow-credentials", "true"],
      ["vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"],
    ]);
    expect(read?.settings.cors?.responseHeaders).toEqual([
      ["access-control-allow-credentials", "true"],
      ["access-control-expose-headers", "RateLimit, RateLimit-Policy, Retry-After, X-Request-Id, WWW-Authenticate, ETag"],
    ]);
    expect(own?.settings.cors).toBeUndefined();
  });

  it("defaults to the route's methods, no extra headers, no credentials and ten minutes of preflight cache", () => {
    const result = parseGatewayConfig({ ORIGIN_URL, PORTCULLIS: { cors: { any: { origins: ["*"] } }, routes: [{ pattern: "/x", cors: "any", methods: ["POST"] }] } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.routes[0]?.settings.cors?.preflightHeaders).toEqual([
      ["access-control-allow-methods", "POST"],
      ["access-control-max-age", "600"],
      ["vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"],
    ]);
    expect(result.config.defaultRoute.settings.cors).toBeUndefined();
  });

  it("admits a policy's methods only where the route allows them", () => {
    const result = parseGatewayConfig({ ORIGIN_URL, PORTCULLIS: { cors: { web: { origins: ["*"], methods: ["get", "DELETE"] } }, routes: [{ pattern: "/x", cors: "web", methods: ["GET", "POST"] }] } });
    expect(result.ok && [...(result.config.routes[0]?.settings.cors?.methods ?? [])]).toEqual(["GET", "HEAD"]);
  });

  it("names every mistake with its key path", () => {
    expect(
      issues({
        cors: {
          star: { origins: ["*"], credentials: true },
          mixed: { origins: ["*", "https://a.example.com"] },
          shapes: { origins: ["https://a.example.com/", "https://a.example.com/app?x", "*.example.com", "https://*", "https://*.com", "https://a*.example.com", "example.com", "null", 7] },
          lists: { origins: [], methods: ["GET", "GE T", "*"], headers: ["X-Ok", "bad header", "*"], expose_headers: ["ETag:"] },
          ages: { origins: ["https://a.example.com"], max_age: -1, credentials: "yes" },
          huge: { origins: ["https://a.example.com"], max_age: 86_401, orgins: [] },
          none: {},
          notATable: "https://a.example.com",
          posts: { origins: ["https://a.example.com"], methods: ["POST"] },
        },
        defaults: { cors: "web" },
        routes: [{ pattern: "/a", cors: true }, { pattern: "/b", cors: "posts", methods: ["GET"] }],
      }),
    ).toEqual([
      'PORTCULLIS.cors.star.origins[0]: "*" cannot be used with credentials = true; list the origins that may send credentials',
      'PORTCULLIS.cors.mixed.origins[0]: "*" allows every origin and must be the only entry',
      'PORTCULLIS.cors.shapes.origins[0]: an origin is scheme, host and optional port only: no path, trailing slash, query, fragment or user name, got "https://a.example.com/"',
      'PORTCULLIS.cors.shapes.origins[1]: an origin is scheme, host and optional port only: no path, trailing slash, query, fragment or user name, got "https://a.example.com/app?x"',
      'PORTCULLIS.cors.shapes.origins[2]: expected "https://" or "http://" and a host; patterns and regular expressions are not supported, got "*.example.com"',
      'PORTCULLIS.cors.shapes.origins[3]: "*" may only be the whole leftmost label, followed by a domain, as in "https://*.example.com", got "https://*"',
      'PORTCULLIS.cors.shapes.origins[4]: "*.com" would admit every site under a top-level domain; name a domain of at least two labels, as in "https://*.example.com", got "https://*.com"',
      'PORTCULLIS.cors.shapes.origins[5]: "*" may only be the whole leftmost label, followed by a domain, as in "https://*.example.com", got "https://a*.example.com"',
      'PORTCULLIS.cors.shapes.origins[6]: expected "https://" or "http://" and a host; patterns and regular expressions are not supported, got "example.com"',
      'PORTCULLIS.cors.shapes.origins[7]: the "null" origin is sent by sandboxed frames, local files and redirects alike; it cannot be allowed, got "null"',
      'PORTCULLIS.cors.shapes.origins[8]: expected an origin such as "https://app.example.com", got 7',
      "PORTCULLIS.cors.lists.origins: expected at least one origin",
      'PORTCULLIS.cors.lists.methods[1]: expected an HTTP method such as "PUT", got "GE T"',
      'PORTCULLIS.cors.lists.methods[2]: "*" is not supported: list each one',
      'PORTCULLIS.cors.lists.headers[1]: expected a header name such as "Content-Type", got "bad header"',
      'PORTCULLIS.cors.lists.headers[2]: "*" is not supported: list each one',
      'PORTCULLIS.cors.lists.expose_headers[0]: expected a header name such as "ETag", got "ETag:"',
      "PORTCULLIS.cors.ages.credentials: expected true or false, got \"yes\"",
      "PORTCULLIS.cors.ages.max_age: expected a non-negative integer, got -1",
      'PORTCULLIS.cors.huge.orgins: unknown key (did you mean "origins"?)',
      "PORTCULLIS.cors.huge.max_age: expected at most 86400 seconds (browsers cap it lower: Chromium at 7200), got 86401",
      'PORTCULLIS.cors.none.origins: required: the origins allowed to call, e.g. ["https://app.example.com", "https://*.example.com"]',
      'PORTCULLIS.cors.notATable: expected a table, got "https://a.example.com"',
      'PORTCULLIS.defaults.cors: unknown policy "web" (defined: "star", "mixed", "shapes", "lists", "ages", "huge", "none", "posts")',
      "PORTCULLIS.routes[0].cors: expected the name of a policy in PORTCULLIS.cors, or false to leave CORS to the origin, got true",
      'PORTCULLIS.routes[1].cors: policy "posts" allows none of this route\'s methods (GET, HEAD); no preflight could succeed',
    ]);
  });

  it("says when no policy is defined at all", () => {
    expect(issues({ routes: [{ pattern: "/a", cors: "web" }] })).toEqual(['PORTCULLIS.routes[0].cors: unknown policy "web" (PORTCULLIS.cors defines none)']);
  });
});
