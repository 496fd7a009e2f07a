// The pure CORS logic: reading a request, deciding a preflight, and the
// headers every other answer gets.
import { describe, expect, it } from "vitest";
import { compileOrigins } from "../../../src/cors/origins";
import { applyCorsHeaders, compilePlan, decidePreflight, mergeVary, readCorsRequest, type CorsPolicy } from "../../../src/cors/policy";

const policy: CorsPolicy = {
  name: "web",
  origins: compileOrigins(["https://app.example.com", "https://*.example.org"]),
  methods: undefined,
  headers: ["content-type", "x-api-key"],
  exposeHeaders: ["ETag"],
  credentials: false,
  maxAgeSeconds: 600,
};
const plan = compilePlan(policy, ["GET", "HEAD", "POST"]);
const anyPlan = compilePlan({ ...policy, origins: compileOrigins(["*"]) }, ["GET", "HEAD"]);
const preflight = (origin: string, method: string, headers: string[] = []) => ({ origin, method, headers });

describe("reading the request", () => {
  it("recognizes a preflight: OPTIONS with Origin and Access-Control-Request-Method", () => {
    const headers = new Headers({ origin: "https://app.example.com", "access-control-request-method": "POST", "access-control-request-headers": "Content-Type, x-api-key,," });
    expect(readCorsRequest("OPTIONS", headers).preflight).toEqual(preflight("https://app.example.com", "POST", ["content-type", "x-api-key"]));
    expect(readCorsRequest("POST", headers)).toEqual({ origin: "https://app.example.com", preflight: undefined });
    expect(readCorsRequest("OPTIONS", new Headers({ origin: "https://app.example.com" })).preflight).toBeUndefined();
    expect(readCorsRequest("OPTIONS", new Headers({ "access-control-request-method": "POST" }))).toEqual({ origin: undefined, preflight: undefined });
  });
});

describe("a preflight", () => {
  it("is admitted with the origin echoed and the prebuilt allow headers", () => {
    const decision = decidePreflight(plan, preflight("https://a.b.example.org", "POST", ["x-api-key", "content-type"]));
    expect(decision.allowed && Object.fromEntries(decision.headers)).toEqual({
      "access-control-allow-origin": "https://a.b.example.org",
      "access-control-allow-methods": "GET, HEAD, POST",
      "access-control-allow-headers": "content-type, x-api-key",
      "access-control-max-age": "600",
      vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    });
  });

  it("is refused for an origin, naming it", () => {
    expect(decidePreflight(plan, preflight("https://example.org.evil.test", "GET"))).toEqual({
      allowed: false,
      refused: "origin",
      detail: 'Cross-origin requests from "https://example.org.evil.test" are not allowed on this route.',
    });
  });

  it("is refused for a method the route does not allow, compared as the browser does (case-sensitively)", () => {
    for (const method of ["DELETE", "post"]) {
      expect(decidePreflight(plan, preflight("https://app.example.com", method))).toEqual({
        allowed: false,
        refused: "method",
        detail: `The method "${method}" is not allowed in cross-origin requests to this route. Allowed methods: GET, HEAD, POST.`,
      });
    }
  });

  it("is refused for request headers not listed, naming each", () => {
    expect(decidePreflight(plan, preflight("https://app.example.com", "GET", ["x-api-key", "x-debug", "authorization"]))).toMatchObject({
      refused: "header",
      detail: 'The request headers "x-debug", "authorization" are not allowed in cross-origin requests to this route. Allowed headers: content-type, x-api-key.',
    });
    const bare = compilePlan({ ...policy, headers: [] }, ["GET"]);
    expect(decidePreflight(bare, preflight("https://app.example.com", "GET", ["x-api-key"]))).toMatchObject({
      detail: 'The request header "x-api-key" is not allowed in cross-origin requests to this route. Allowed headers: none beyond the CORS-safelisted ones.',
    });
  });

  it('answers "*" for a policy of every origin', () => {
    const decision = decidePreflight(anyPlan, preflight("null", "GET"));
    expect(decision.allowed && decision.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("the headers of every other answer", () => {
  it("echo an admitted origin, expose the defaults and configured headers, and vary by Origin", () => {
    const headers = new Headers({ vary: "Accept-Encoding", "content-type": "application/json" });
    applyCorsHeaders(headers, plan, "https://app.example.com");
    expect(Object.fromEntries(headers)).toEqual({
      "access-control-allow-origin": "https://app.example.com",
      "access-control-expose-headers": "RateLimit, RateLimit-Policy, Retry-After, X-Request-Id, WWW-Authenticate, ETag",
      "content-type": "application/json",
      vary: "Accept-Encoding, Origin",
    });
  });

  it("replace the origin's own Access-Control-* headers, for any origin", () => {
    const fromOrigin = () => new Headers({ "access-control-allow-origin": "*", "Access-Control-Allow-Credentials": "true", "access-control-allow-methods": "PUT", etag: '"1"' });
    const admitted = fromOrigin();
    applyCorsHeaders(admitted, plan, "https://app.example.com");
    expect(admitted.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(admitted.has("access-control-allow-credentials")).toBe(false);
    expect(admitted.has("access-control-allow-methods")).toBe(false);
    const refused = fromOrigin();
    applyCorsHeaders(refused, plan, "https://evil.test");
    expect(Object.fromEntries(refused)).toEqual({ etag: '"1"', vary: "Origin" });
  });

  it("vary by Origin even without one (a cache must not replay it to a page), but not for *", () => {
    const plain = new Headers();
    applyCorsHeaders(plain, plan, undefined);
    expect(Object.fromEntries(plain)).toEqual({ vary: "Origin" });
    const star = new Headers();
    applyCorsHeaders(star, anyPlan, undefined);
    expect(star.get("access-control-allow-origin")).toBe("*");
    expect(star.has("vary")).toBe(false);
  });

  it("carry Access-Control-Allow-Credentials where the policy sets it", () => {
    const headers = new Headers();
    applyCorsHeaders(headers, compilePlan({ ...policy, credentials: true }, ["GET"]), "https://app.example.com");
    expect(headers.get("access-control-allow-credentials")).toBe("true");
  });
});

describe("Vary merging (RFC 9110 §12.5.5)", () => {
  it.each([
    [undefined, "Origin"],
    ["", "Origin"],
    ["accept-encoding", "accept-encoding, Origin"],
    ["Accept, origin", "Accept, origin"],
    ["*", "*"],
  ])("%s → %s", (before, after) => {
    const headers = new Headers(before === undefined ? {} : { vary: before });
    mergeVary(headers, "Origin");
    expect(headers.get("vary")).toBe(after);
  });
});
