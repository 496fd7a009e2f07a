// One configuration, several environments: an environment's PORTCULLIS that
// says extends = "top-level" starts from the top-level [vars], each key it
// sets replacing the shared one whole.
import { describe, expect, it } from "vitest";
import { parseGatewayConfig, type RawEnv } from "../../src/config/gateway-config";

const TOP: RawEnv = {
  ORIGIN_URL: "http://127.0.0.1:8788",
  PORTCULLIS: {
    auth: { keys: { ["d".repeat(64)]: { consumer: "demo" } } },
    rate_limits: { burst: { quota: 10, window_seconds: 1 } },
    defaults: { rate_limits: ["burst"] },
    routes: [{ pattern: "/orders/*", auth: "api_key" }, { pattern: "/health" }],
  },
  PORTCULLIS_ROUTES: { routes: [{ pattern: "/billing/*", auth: "api_key" }] },
};
const topLevel = () => TOP;

describe("extends = \"top-level\"", () => {
  it("keeps the shared routes and policies, with the environment's own origin and keys", () => {
    const result = parseGatewayConfig(
      { ORIGIN_URL: "https://origin.example.com", PORTCULLIS: { extends: "top-level", auth: { keys: { ["e".repeat(64)]: { consumer: "acme" } } } } },
      { topLevel },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { config } = result;
    expect(config.origin?.base).toBe("https://origin.example.com");
    expect(config.routes.map((r) => r.name)).toEqual(["/orders/*", "/health", "/billing/*"]);
    // Its auth replaced the shared one whole: the demo key is not inherited.
    expect([...config.auth.keys.values()].map((k) => k.consumer)).toEqual(["acme"]);
    expect(config.defaultRoute.settings.rateLimit.policies.map((p) => p.name)).toEqual(["burst"]);
  });

  it("lets an environment replace the routes too, and add parts of its own", () => {
    const result = parseGatewayConfig(
      { ORIGIN_URL: "https://origin.example.com", PORTCULLIS: { extends: "top-level", routes: [{ pattern: "/only" }] }, PORTCULLIS_MORE: { unmatched: "not_found" } },
      { topLevel },
    );
    expect(result.ok && result.config.routes.map((r) => r.name)).toEqual(["/only"]);
    expect(result.ok && result.config.unmatched).toBe("not_found");
  });

  it("names the mistakes: an unknown parent, a missing origin, the top level unavailable or invalid", () => {
    const unknown = parseGatewayConfig({ ORIGIN_URL: "https://o.example.com", PORTCULLIS: { extends: "production" } }, { topLevel });
    expect(!unknown.ok && unknown.issues).toEqual(['PORTCULLIS.extends: expected "top-level" (the [vars] at the top of wrangler.toml), got "production"']);
    const noOrigin = parseGatewayConfig({ PORTCULLIS: { extends: "top-level" } }, { topLevel });
    expect(!noOrigin.ok && noOrigin.issues).toContain("ORIGIN_URL: required in an environment that extends the top level: set this environment's own origin");
    const unavailable = parseGatewayConfig({ ORIGIN_URL: "https://o.example.com", PORTCULLIS: { extends: "top-level" } });
    expect(!unavailable.ok && unavailable.issues[0]).toMatch(/^PORTCULLIS\.extends: the top-level \[vars\] of wrangler\.toml are not available/);
    const broken = parseGatewayConfig({ ORIGIN_URL: "https://o.example.com", PORTCULLIS: { extends: "top-level" } }, { topLevel: () => ({ PORTCULLIS: { unmatched: 1 }, PORTCULLIS_X: { unmatched: 2 } }) });
    expect(!broken.ok && broken.issues).toContain("[vars] PORTCULLIS_X.unmatched: also set by PORTCULLIS; a key may be set in one PORTCULLIS var only (tables merge, routes lists concatenate)");
  });

  it("is refused when the environment is not one of the bundled file's: the Worker was built from another wrangler.toml", () => {
    const own = { ORIGIN_URL: "https://o.example.com", PORTCULLIS: { extends: "top-level", auth: { keys: { ["e".repeat(64)]: { consumer: "acme" } } } } };
    const listed = parseGatewayConfig(own, { topLevel, environments: () => [{ ORIGIN_URL: "https://elsewhere.example.com", PORTCULLIS: { auth: { keys: { ["e".repeat(64)]: { consumer: "acme" } } }, extends: "top-level" } }] });
    expect(listed.ok).toBe(true); // key order and ORIGIN_URL do not matter: the PORTCULLIS tables are the same
    const missing = parseGatewayConfig(own, { topLevel, environments: () => [{ PORTCULLIS: { extends: "top-level" } }] });
    expect(!missing.ok && missing.issues[0]).toMatch(/^PORTCULLIS\.extends: this environment is not in the wrangler\.toml the Worker bundles/);
  });
});
