// Parsing PORTCULLIS.rate_limits, the route keys and PORTCULLIS.auth_failures.
import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../../src/config/gateway-config";
import { compileRateLimit } from "../../../src/rate-limit/config";

const ORIGIN_URL = "https://api.example.com";

describe("rate-limit configuration", () => {
  it("reads policies with their defaults and lets routes select them", () => {
    const result = parseGatewayConfig({
      ORIGIN_URL,
      PORTCULLIS: {
        rate_limits: { burst: { quota: 10, window_seconds: 1, lease: 5 }, daily: { quota: 10_000, window_seconds: 86_400, lease: 50, cost: 2, confirm_writes: true } },
        auth_failures: { attempts: 5, window_seconds: 3600 },
        defaults: { rate_limits: ["burst", "daily"] },
        routes: [{ pattern: "/health", rate_limits: [] }, { pattern: "/export", rate_limits: ["daily"], rate_limit_failure: "closed", rate_limit_timeout_ms: 200 }],
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { defaultRoute, routes, authFailures } = result.config;
    expect(compileRateLimit(defaultRoute.settings.rateLimit)).toMatchObject({ failure: "open", timeoutMs: 500, lease: 5, holdMs: 100, confirmWrites: true });
    expect(defaultRoute.settings.rateLimit.policies.map((p) => [p.name, p.key, p.cost, p.confirmWrites])).toEqual([
      ["burst", { kind: "consumer" }, 1, false],
      ["daily", { kind: "consumer" }, 2, true],
    ]);
    expect(routes[0]?.settings.rateLimit.policies).toEqual([]);
    expect(routes[1] && compileRateLimit(routes[1].settings.rateLimit)).toMatchObject({ failure: "closed", timeoutMs: 200, lease: 50 });
    expect(routes[0] && compileRateLimit(routes[0].settings.rateLimit)).toBeUndefined();
    expect(authFailures).toEqual({ attempts: 5, windowSeconds: 3600, lockoutSeconds: 3600 });
  });

  it("names every mistake with its key path", () => {
    const result = parseGatewayConfig({
      ORIGIN_URL,
      PORTCULLIS: {
        rate_limits: {
          burst: { quota: 0, window_seconds: 1.5, key: "user" },
          "bad name": { quota: 1, window_seconds: 1 },
          pricey: { quota: 5, window_seconds: 60, cost: 6, lease: 2, qouta: 1 },
          perip: { quota: 5, window_seconds: 60, key: "ip", confirm_writes: "yes" },
          ok: { window_seconds: 60 },
          "auth-failures": { quota: 1, window_seconds: 1 },
        },
        auth_failures: { attempts: 0 },
        defaults: { rate_limits: ["dayly", "perip", "perip"], rate_limit_failure: "maybe" },
        routes: [{ pattern: "/a", rate_limits: ["pricey", "perip"], rate_limit_timeout_ms: 60_000 }],
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      "PORTCULLIS.rate_limits.burst.quota: expected a positive integer up to 999999999999999, got 0",
      "PORTCULLIS.rate_limits.burst.window_seconds: expected a positive integer up to 31622400, got 1.5",
      'PORTCULLIS.rate_limits.burst.key: expected one of "consumer", "api_key", "ip", "route" or "header:<Name>", got "user"',
      'PORTCULLIS.rate_limits.bad name: a policy name must be 1 to 64 letters, digits, "_", "-" or "." starting with a letter or digit, got "bad name"',
      'PORTCULLIS.rate_limits.pricey.qouta: unknown key (did you mean "quota"?)',
      "PORTCULLIS.rate_limits.pricey.cost: must not exceed quota (5): no request could ever be admitted, got 6",
      "PORTCULLIS.rate_limits.pricey.lease: lease × cost must not exceed quota (5), got 2 × 6",
      'PORTCULLIS.rate_limits.perip.confirm_writes: expected true or false, got "yes"',
      "PORTCULLIS.rate_limits.ok.quota: required: quota units allowed per window, e.g. 100",
      'PORTCULLIS.rate_limits.auth-failures: the name "auth-failures" is reserved for the failed-authentication lockout (PORTCULLIS.auth_failures)',
      "PORTCULLIS.auth_failures.attempts: expected a positive integer up to 1000000, got 0",
      "PORTCULLIS.auth_failures.window_seconds: required: the window the attempts are counted in, e.g. 3600",
      'PORTCULLIS.defaults.rate_limits[0]: unknown policy "dayly" (defined: "bad name", "pricey", "perip", "auth-failures")',
      'PORTCULLIS.defaults.rate_limits[2]: policy "perip" is listed twice',
      'PORTCULLIS.defaults.rate_limit_failure: expected one of "open", "closed", got "maybe"',
      'PORTCULLIS.routes[0].rate_limits: policies "pricey" (key "consumer") and "perip" (key "ip") count different keys; the policies of one route must share one key',
      "PORTCULLIS.routes[0].rate_limit_timeout_ms: expected a positive integer up to 10000, got 60000",
    ]);
  });
});
