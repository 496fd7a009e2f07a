import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../../src/config/gateway-config";

const ORIGIN_URL = "https://api.example.com";
const DIGEST = "a".repeat(64);
const parse = (PORTCULLIS: Record<string, unknown>) => parseGatewayConfig({ ORIGIN_URL, PORTCULLIS });
const issues = (PORTCULLIS: Record<string, unknown>) => {
  const result = parse(PORTCULLIS);
  return result.ok ? [] : result.issues;
};

describe("auth configuration", () => {
  it("defaults: public routes, X-API-Key, no query parameter, 30 s KV cache, X-Consumer-* headers", () => {
    const result = parse({});
    if (!result.ok) throw new Error(result.issues.join("\n"));
    expect(result.config.defaultRoute.settings.auth).toEqual({ mode: "none", scopes: [], passCredentials: false });
    expect(result.config.auth).toMatchObject({
      realm: "portcullis",
      apiKeyHeader: "x-api-key",
      apiKeyQueryParam: undefined,
      kvCacheTtlSeconds: 30,
      identityHeaders: { consumer: "x-consumer-id", scopes: "x-consumer-scopes", subject: "x-auth-subject" },
    });
  });

  it("reads keys by digest and routes that inherit auth from [defaults]", () => {
    const result = parse({
      auth: { keys: { [DIGEST]: { consumer: "acme", scopes: ["a"], tier: "gold", expires_at: new Date("2030-01-01T00:00:00Z") } } },
      defaults: { auth: "api_key", scopes: ["a"] },
      routes: [{ pattern: "/open", auth: "none", pass_credentials: true }, { pattern: "/closed" }],
    });
    if (!result.ok) throw new Error(result.issues.join("\n"));
    expect(result.config.auth.keys.get(DIGEST)).toEqual({ consumer: "acme", scopes: ["a"], tier: "gold", expiresAt: Date.parse("2030-01-01T00:00:00Z"), disabled: false });
    expect(result.config.routes.map((r) => r.settings.auth)).toEqual([
      { mode: "none", scopes: ["a"], passCredentials: true },
      { mode: "api_key", scopes: ["a"], passCredentials: false },
    ]);
  });

  it("names every mistake with its key path", () => {
    expect(
      issues({
        auth: {
          realm: 'say "hi"',
          api_key_header: "X API Key",
          kv_cache_ttl_seconds: 301,
          keys: {
            "pcl_raw_key": { consumer: "a" },
            [DIGEST.toUpperCase()]: { consumer: "b" },
            [DIGEST]: { scopes: ["has space"], expires_at: "2030-01-01", role: "admin" },
          },
          identity_headers: { scopes: "X-Consumer-Id", subject: "X-API-Key" },
        },
        routes: [{ pattern: "/a", auth: "jwt" }, { pattern: "/b", auth: "basic" }, { pattern: "/c", scopes: ["x"] }],
      }),
    ).toEqual([
      'PORTCULLIS.auth.realm: expected printable ASCII without quotes or backslashes, got "say \\"hi\\""',
      'PORTCULLIS.auth.api_key_header: expected a header name such as "X-API-Key", got "X API Key"',
      "PORTCULLIS.auth.identity_headers: consumer, scopes and subject must be three different headers",
      'PORTCULLIS.auth.identity_headers.subject: must differ from Authorization and api_key_header, got "x-api-key"',
      "PORTCULLIS.auth.keys.pcl_raw_key: expected the SHA-256 hex digest of a key (64 lower-case hex characters, as npm run keygen prints), never the key itself",
      `PORTCULLIS.auth.keys.${DIGEST.toUpperCase()}: expected the SHA-256 hex digest of a key (64 lower-case hex characters, as npm run keygen prints), never the key itself`,
      `PORTCULLIS.auth.keys.${DIGEST}.role: unknown key`,
      `PORTCULLIS.auth.keys.${DIGEST}.consumer: required: the consumer id the origin receives`,
      `PORTCULLIS.auth.keys.${DIGEST}.scopes[0]: expected a scope token (printable ASCII without spaces, quotes or backslashes, RFC 6749 §3.3), got "has space"`,
      `PORTCULLIS.auth.keys.${DIGEST}.expires_at: expected an RFC 3339 date-time with an offset, e.g. "2027-01-01T00:00:00Z", got "2030-01-01"`,
      "PORTCULLIS.auth.kv_cache_ttl_seconds: expected a positive integer up to 300, got 301",
      'PORTCULLIS.routes[0].auth: "jwt" needs the [auth.jwt] table (algorithms and a secret_binding or jwks_url)',
      'PORTCULLIS.routes[1].auth: expected one of "none", "api_key", "jwt", "api_key_or_jwt", got "basic"',
      'PORTCULLIS.routes[2].scopes: only meaningful with auth = "api_key", "jwt" or "api_key_or_jwt"; this route is public',
    ]);
  });

  it("requires keys or a KV binding for API-key routes", () => {
    expect(issues({ routes: [{ pattern: "/a", auth: "api_key_or_jwt" }] })).toContain(
      'PORTCULLIS.routes[0].auth: "api_key_or_jwt" needs API keys: set auth.keys or auth.kv_binding',
    );
    expect(issues({ auth: { kv_binding: "API_KEYS" }, routes: [{ pattern: "/a", auth: "api_key" }] })).toEqual([]);
  });
});
