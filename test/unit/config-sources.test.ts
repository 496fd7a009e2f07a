// The configuration split across several vars (Cloudflare caps each at 5 KB):
// merged in name order, clashes named, sizes checked as wrangler uploads them.
import { describe, expect, it } from "vitest";
import { MAX_VAR_BYTES, configSources, mergeSources, uploadedBytes, varSizeIssues } from "../../src/config/config-sources";
import { parseGatewayConfig } from "../../src/config/gateway-config";
import { largeConfig } from "../fixtures/large-config";

const ORIGIN_URL = "https://api.example.com";

describe("configuration vars", () => {
  it("are PORTCULLIS first, then PORTCULLIS_<PART> in name order; other vars are not configuration", () => {
    const names = configSources({ PORTCULLIS_ZED: {}, ORIGIN_URL, PORTCULLIS_KEYS: {}, PORTCULLIS: {}, PORTCULLISX: {}, PORTCULLIS_lower: {} }).map((s) => s.name);
    expect(names).toEqual(["PORTCULLIS", "PORTCULLIS_KEYS", "PORTCULLIS_ZED"]);
  });

  it("merge tables key by key and concatenate routes in var order", () => {
    const issues: string[] = [];
    const merged = mergeSources(
      configSources({
        PORTCULLIS: { auth: { realm: "api" }, routes: [{ pattern: "/a" }] },
        PORTCULLIS_B: { routes: [{ pattern: "/c" }] },
        PORTCULLIS_A: { auth: { keys: { k: {} } }, routes: [{ pattern: "/b" }] },
      }),
      issues,
    );
    expect(issues).toEqual([]);
    expect(merged).toEqual({ auth: { realm: "api", keys: { k: {} } }, routes: [{ pattern: "/a" }, { pattern: "/b" }, { pattern: "/c" }] });
  });

  it("name both vars when one key is set twice, never overriding silently", () => {
    const issues: string[] = [];
    mergeSources(configSources({ PORTCULLIS: { auth: { realm: "a" } }, PORTCULLIS_EXTRA: { auth: { realm: "b" }, defaults: [] }, PORTCULLIS_MORE: { defaults: {} } }), issues);
    expect(issues).toEqual([
      "PORTCULLIS_MORE.defaults: also set by PORTCULLIS_EXTRA; a key may be set in one PORTCULLIS var only (tables merge, routes lists concatenate)",
      "PORTCULLIS_EXTRA.auth.realm: also set by PORTCULLIS; a key may be set in one PORTCULLIS var only (tables merge, routes lists concatenate)",
    ].sort());
  });

  it("accept a part as a JSON string, and say which part is not a table", () => {
    const issues: string[] = [];
    const merged = mergeSources(configSources({ PORTCULLIS_JSON: '{"unmatched":"not_found"}', PORTCULLIS_BAD: "[1]", PORTCULLIS_TEXT: "nope" }), issues);
    expect(merged).toEqual({ unmatched: "not_found" });
    expect(issues).toEqual([
      "PORTCULLIS_BAD: expected a table (or a JSON object string), got an array",
      "PORTCULLIS_TEXT: expected a table (or a JSON object string), got a string that is not JSON",
    ]);
  });
});

describe("a production-sized configuration", () => {
  const { whole, split } = largeConfig();

  it("is refused by size as one var, with the limit, its size and what to do", () => {
    const bytes = uploadedBytes(whole);
    expect(bytes).toBeGreaterThan(MAX_VAR_BYTES);
    const [issue] = varSizeIssues({ ORIGIN_URL, PORTCULLIS: whole });
    expect(issue).toBe(
      `PORTCULLIS: ${bytes.toLocaleString("en-US")} bytes as uploaded; Cloudflare accepts at most 5 KB per environment variable (checked as 5,000 bytes): move part of it into another var, e.g. [vars.PORTCULLIS_ROUTES] with its own routes = [...], or [vars.PORTCULLIS_KEYS.auth.keys]; API keys can also live in KV (auth.kv_binding)`,
    );
  });

  it("fits when split over several vars, and parses to the same gateway", () => {
    expect(varSizeIssues({ ORIGIN_URL, ...split })).toEqual([]);
    const one = parseGatewayConfig({ ORIGIN_URL, PORTCULLIS: whole });
    const many = parseGatewayConfig({ ORIGIN_URL, ...split });
    expect(many.ok && one.ok).toBe(true);
    if (!many.ok || !one.ok) return;
    expect(many.config.routes.map((r) => r.name)).toEqual(one.config.routes.map((r) => r.name));
    expect(many.config.auth.keys.size).toBe(40);
    expect(Object.keys(many.config.errors.codes)).toHaveLength(20);
  });
});
