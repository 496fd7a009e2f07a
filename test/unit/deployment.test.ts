// What a configuration needs from its deployment: checked before deploy so
// that a missing binding never shows first as a request going through unlimited.
import { describe, expect, it } from "vitest";
import { deploymentIssues, describeGateway, type Deployment } from "../../src/config/deployment";
import { parseGatewayConfig } from "../../src/config/gateway-config";

const complete: Deployment = {
  durableObjects: [{ name: "RATE_LIMITER", className: "RateLimiter" }],
  migratedClasses: [{ className: "RateLimiter", sqlite: true }],
  kvNamespaces: ["API_KEYS"],
};

function configOf(PORTCULLIS: unknown) {
  const result = parseGatewayConfig({ ORIGIN_URL: "https://api.example.com", PORTCULLIS });
  if (!result.ok) throw new Error(result.issues.join("\n"));
  return result.config;
}

const limited = { rate_limits: { burst: { quota: 10, window_seconds: 1 } }, routes: [{ pattern: "/a/*", rate_limits: ["burst"] }] };

describe("deployment checks", () => {
  it("find nothing wrong with a complete deployment", () => {
    expect(deploymentIssues(configOf({ ...limited, auth: { kv_binding: "API_KEYS" } }), complete)).toEqual([]);
  });

  it("name a rate limit without the RateLimiter binding or its migration", () => {
    const issues = deploymentIssues(configOf(limited), { ...complete, durableObjects: [], migratedClasses: [] });
    expect(issues).toEqual([
      'durable_objects.bindings: routes have rate_limits, but this environment binds no RATE_LIMITER; add [[durable_objects.bindings]] name = "RATE_LIMITER", class_name = "RateLimiter" (bindings are not inherited: each [env.*] needs its own)',
      'migrations: routes have rate_limits, but no [[migrations]] creates the RateLimiter class; add tag = "v1", new_sqlite_classes = ["RateLimiter"]',
    ]);
  });

  it("name the lockout without the binding, a wrong class and a non-SQLite migration", () => {
    const config = configOf({ auth_failures: { attempts: 5, window_seconds: 60 } });
    expect(deploymentIssues(config, { ...complete, durableObjects: [] })[0]).toMatch(/^durable_objects\.bindings: PORTCULLIS\.auth_failures counts failed attempts/);
    expect(deploymentIssues(config, { ...complete, durableObjects: [{ name: "RATE_LIMITER", className: "Other" }], migratedClasses: [{ className: "RateLimiter", sqlite: false }] })).toEqual([
      'durable_objects.bindings: RATE_LIMITER must bind class_name "RateLimiter", got "Other"',
      "migrations: RateLimiter must be created with new_sqlite_classes (it keeps its counts in SQLite storage), not new_classes",
    ]);
  });

  it("name API keys in KV without the namespace", () => {
    expect(deploymentIssues(configOf({ auth: { kv_binding: "KEYS" } }), complete)).toEqual([
      'PORTCULLIS.auth.kv_binding: names "KEYS", but this environment binds no KV namespace by that name; add [[kv_namespaces]] binding = "KEYS" (bindings are not inherited)',
    ]);
  });

  it("need no binding for a configuration without quotas or lockout", () => {
    expect(deploymentIssues(configOf({ routes: [{ pattern: "/a" }] }), { durableObjects: [], migratedClasses: [], kvNamespaces: [] })).toEqual([]);
  });
});

describe("what an environment ends up with", () => {
  it("lists its origin, routes, keys and policies", () => {
    const lines = describeGateway(configOf({ ...limited, unmatched: "not_found", auth: { keys: { ["a".repeat(64)]: { consumer: "acme" } } } }));
    expect(lines).toEqual([
      "origin https://api.example.com; unmatched paths: 404",
      "route /a/*: GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS; public; burst; body ≤ 10485760 B; 30000 ms",
      "auth: 1 API key(s) in config (acme)",
      "rate limits: burst 10/1 s per consumer",
    ]);
  });
});
