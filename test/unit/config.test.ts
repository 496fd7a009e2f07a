import { describe, expect, it } from "vitest";
import { compileGateway } from "../../src/config/compile";
import { parseGatewayConfig } from "../../src/config/gateway-config";
import { matchRoute } from "../../src/routing/step";

const ORIGIN_URL = "https://api.example.com/v1/";

describe("configuration defaults", () => {
  it("applies built-in defaults when PORTCULLIS is absent", () => {
    const result = parseGatewayConfig({ ORIGIN_URL });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.origin?.base).toBe("https://api.example.com/v1");
    expect(result.config.unmatched).toBe("proxy");
    expect(result.config.defaultRoute.settings).toMatchObject({ maxBodyBytes: 10485760, timeoutMs: 30000, accept: [] });
    expect(result.config.maxUrlLength).toBe(8192);
  });

  it("lets a route override each default and inherit the rest", () => {
    const result = parseGatewayConfig({
      ORIGIN_URL,
      PORTCULLIS: {
        defaults: { timeout_ms: 5000, accept: ["application/json"] },
        routes: [{ pattern: "/scim/v2/*", max_body_bytes: 800000, methods: ["get", "POST"] }],
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const route = result.config.routes[0];
    expect(route?.name).toBe("/scim/v2/*");
    expect(route?.settings).toMatchObject({ maxBodyBytes: 800000, timeoutMs: 5000, accept: ["application/json"], methods: ["GET", "POST", "HEAD"] });
  });

  it("accepts the whole table as a JSON string (for secrets)", () => {
    const result = parseGatewayConfig({ ORIGIN_URL, PORTCULLIS: JSON.stringify({ unmatched: "not_found" }) });
    expect(result.ok && result.config.unmatched).toBe("not_found");
  });
});

describe("configuration mistakes", () => {
  it("names every mistake with its key path, all at once", () => {
    const result = parseGatewayConfig({
      ORIGIN_URL: "ftp://files.example.com",
      PORTCULLIS: {
        unmatched: "drop",
        max_url_lenght: 10,
        defaults: { timeout_ms: -1, accept: ["json"] },
        routes: [
          { pattern: "/ok" },
          { pattern: "users/:id" },
          { pattern: "/a", max_body_bytes: "1MB", methods: ["GET", "BAD METHOD"] },
          { max_body_bytes: 1 },
          "nonsense",
        ],
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      'ORIGIN_URL: expected an absolute http(s) URL, got "ftp://files.example.com"',
      'PORTCULLIS.max_url_lenght: unknown key (did you mean "max_url_length"?)',
      'PORTCULLIS.unmatched: expected one of "proxy", "not_found", got "drop"',
      'PORTCULLIS.defaults.accept[0]: expected a media range such as "application/json", "application/*+json" or "*/*", got "json"',
      "PORTCULLIS.defaults.timeout_ms: expected a positive integer up to 900000, got -1",
      'PORTCULLIS.routes[1].pattern: must start with "/", got "users/:id"',
      'PORTCULLIS.routes[2].methods[1]: expected an HTTP method such as "GET", got "BAD METHOD"',
      'PORTCULLIS.routes[2].max_body_bytes: expected a positive integer, got "1MB"',
      'PORTCULLIS.routes[3].pattern: required, e.g. "/users/:id" or "/scim/v2/*"',
      "PORTCULLIS.routes[4]: expected a table, got \"nonsense\"",
    ]);
  });

  it("requires ORIGIN_URL and rejects one with a query or credentials", () => {
    const missing = parseGatewayConfig({});
    expect(!missing.ok && missing.issues[0]).toMatch(/^ORIGIN_URL: required/);
    const creds = parseGatewayConfig({ ORIGIN_URL: "https://u:p@api.example.com/?x=1" });
    expect(!creds.ok && creds.issues[0]).toMatch(/^ORIGIN_URL: must not contain a query, fragment or credentials/);
  });

  it("rejects a JSON string that is not JSON", () => {
    const result = parseGatewayConfig({ ORIGIN_URL, PORTCULLIS: "{nope" });
    expect(!result.ok && result.issues).toEqual(["PORTCULLIS: expected a table (or a JSON object string), got a string that is not JSON"]);
  });
});

describe("route matching", () => {
  const result = parseGatewayConfig({
    ORIGIN_URL,
    PORTCULLIS: {
      unmatched: "not_found",
      routes: [
        { name: "health", pattern: "/health" },
        { name: "scim", pattern: "/scim/v2/*" },
        { name: "user", pattern: "/users/:id" },
        { name: "posts", pattern: "/users/:id/posts/*" },
      ],
    },
  });
  if (!result.ok) throw new Error(result.issues.join("\n"));
  const plan = compileGateway(result.config);
  const name = (path: string) => matchRoute(plan, path)?.name;

  it("matches exact, prefix and parameter patterns in order", () => {
    expect(name("/health")).toBe("health");
    expect(name("/health/x")).toBeUndefined();
    expect(name("/scim/v2")).toBe("scim");
    expect(name("/scim/v2/Users/1")).toBe("scim");
    expect(name("/scim/v20")).toBeUndefined();
    expect(name("/users/42")).toBe("user");
    expect(name("/users/")).toBeUndefined();
    expect(name("/users/42/posts/7")).toBe("posts");
  });

  it("does not treat an encoded slash as a separator", () => {
    expect(name("/users/a%2Fb")).toBe("user");
    expect(name("/health%2F..")).toBeUndefined();
  });

  it("falls back to the default route when unmatched paths are proxied", () => {
    const proxied = parseGatewayConfig({ ORIGIN_URL });
    expect(proxied.ok && matchRoute(compileGateway(proxied.config), "/anything")?.name).toBe("default");
  });
});
