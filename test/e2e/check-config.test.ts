// `npm run check` on generated wrangler.toml files: a production-sized
// configuration in one var is named with Cloudflare's limit and its size;
// split over several vars it passes. Upstreams: unknown names, bad URLs and
// bindings an environment does not declare are named.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { stringify } from "smol-toml";
import { afterAll, describe, expect, it } from "vitest";
import { largeConfig } from "../fixtures/large-config";

const run = promisify(execFile);
/** What a rate-limited configuration with KV keys needs bound. */
const BOUND = {
  durable_objects: { bindings: [{ name: "RATE_LIMITER", class_name: "RateLimiter" }] },
  migrations: [{ tag: "v1", new_sqlite_classes: ["RateLimiter"] }],
  kv_namespaces: [{ binding: "API_KEYS", id: "0".repeat(32) }],
};
const dir = mkdtempSync(join(tmpdir(), "portcullis-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the check on a wrangler.toml holding `vars` (and `more` top-level keys); resolves with its exit code and output. */
async function check(vars: Record<string, unknown>, more: Record<string, unknown> = {}): Promise<{ code: number; output: string }> {
  const file = join(dir, `wrangler-${Math.random().toString(36).slice(2)}.toml`);
  writeFileSync(file, stringify({ name: "check-test", main: "src/index.ts", ...more, vars }));
  try {
    const { stdout, stderr } = await run(process.execPath, ["scripts/check-config.mjs", file]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: (failed.stdout ?? "") + (failed.stderr ?? "") };
  }
}

describe("npm run check and the size of vars", () => {
  const { whole, split } = largeConfig();

  it("names a var past 5 KB with its size, and fails", async () => {
    const { code, output } = await check({ ORIGIN_URL: "https://origin.example.com", PORTCULLIS: whole });
    expect(code).toBe(1);
    expect(output).toMatch(/PORTCULLIS: [\d,]+ bytes as uploaded; Cloudflare accepts at most 5 KB per environment variable/);
  }, 20_000);

  it("passes the same configuration split over several vars", async () => {
    const { code, output } = await check({ ORIGIN_URL: "https://origin.example.com", ...split }, BOUND);
    expect(output).toContain("✓ (top level): 30 route(s)");
    expect(code).toBe(0);
  }, 20_000);
});

describe("npm run check and the bindings an environment needs", () => {
  const limited = { ORIGIN_URL: "https://origin.example.com", PORTCULLIS: { rate_limits: { burst: { quota: 10, window_seconds: 1 } }, defaults: { rate_limits: ["burst"] }, auth: { kv_binding: "API_KEYS" } } };
  const bound = BOUND;

  it("fails when rate limits and KV keys are configured but not bound, naming each", async () => {
    const { code, output } = await check(limited);
    expect(code).toBe(1);
    expect(output).toContain("durable_objects.bindings: routes have rate_limits, but this environment binds no RATE_LIMITER");
    expect(output).toContain("migrations: routes have rate_limits, but no [[migrations]] creates the RateLimiter class");
    expect(output).toContain('PORTCULLIS.auth.kv_binding: names "API_KEYS", but this environment binds no KV namespace by that name');
  }, 20_000);

  it("checks each environment's own bindings", async () => {
    const production = { vars: limited };
    const missing = await check(limited, { ...bound, env: { production } });
    expect(missing.code).toBe(1);
    expect(missing.output).toContain("✗ env.production: 2 mistake(s)"); // [[migrations]] are inherited, bindings are not
    expect(missing.output).toContain("binds no RATE_LIMITER");
    expect(missing.output).toContain('names "API_KEYS", but this environment binds no KV namespace by that name');
    const ok = await check(limited, { ...bound, env: { production: { ...production, ...bound } } });
    expect(ok.output).toContain("✓ env.production:");
    expect(ok.code).toBe(0);
  }, 30_000);

  it("shows what the project's environment extending the top level ends up with", async () => {
    const { stdout } = await run(process.execPath, ["scripts/check-config.mjs"]);
    expect(stdout).toContain("✓ env.staging (extends the top level): 6 route(s), origin https://staging-origin.example.com, upstreams replicas");
    expect(stdout).toContain("upstream replicas: https://replica-1.staging.example.com, https://replica-2.staging.example.com");
    expect(stdout).toContain("auth: 1 API key(s) in config (qa)");
    expect(stdout).toContain("rate limits: burst 10/1 s per consumer; daily 10000/86400 s per consumer");
  }, 30_000);

  it("passes the example configuration of README's \"Try it in front of your own API\"", async () => {
    const { stdout } = await run(process.execPath, ["scripts/check-config.mjs", "examples/own-api/wrangler.toml"]);
    expect(stdout).toContain("✓ (top level): 3 route(s), origin http://127.0.0.1:3000");
    expect(stdout).toContain("auth: 2 API key(s) in config (acme, globex)");
  }, 30_000);

  it("refuses extends in a file other than the project's wrangler.toml: the Worker would inherit the project's [vars], not that file's", async () => {
    const staging = { vars: { ORIGIN_URL: "https://staging.example.com", PORTCULLIS: { extends: "top-level", auth: { keys: { ["b".repeat(64)]: { consumer: "acme" } } } } }, ...bound };
    const { code, output } = await check(limited, { ...bound, env: { staging } });
    expect(code).toBe(1);
    expect(output).toContain("✗ env.staging (extends the top level)");
    expect(output).toContain("PORTCULLIS.extends: this environment is not in the wrangler.toml the Worker bundles");
  }, 30_000);
});

describe("npm run check and upstreams", () => {
  const PORTCULLIS = {
    upstreams: {
      accounts: { service: "ACCOUNTS" },
      partner: { mtls_certificate: "PARTNER_CERT", url: "https://partner.example.com" },
      billing: { urls: ["https://billing-a.internal", "https://billing-b.internal"] },
    },
    routes: [{ pattern: "/accounts/*", upstream: "accounts" }, { pattern: "/billing/*", upstream: "billing" }],
  };
  const services = [{ binding: "ACCOUNTS", service: "accounts-worker" }];
  const mtls_certificates = [{ binding: "PARTNER_CERT", certificate_id: "00000000-0000-0000-0000-000000000000" }];

  it("passes when every binding is declared, and lists the upstreams", async () => {
    const { code, output } = await check({ ORIGIN_URL: "https://origin.example.com", PORTCULLIS }, { services, mtls_certificates });
    expect(output).toContain("✓ (top level): 2 route(s), origin https://origin.example.com, upstreams accounts, partner, billing");
    expect(code).toBe(0);
  }, 20_000);

  it("names the bindings an environment does not declare: they are not inherited", async () => {
    const { code, output } = await check(
      { ORIGIN_URL: "https://origin.example.com", PORTCULLIS },
      { services, mtls_certificates, env: { production: { vars: { ORIGIN_URL: "https://origin.example.com", PORTCULLIS } } } },
    );
    expect(code).toBe(1);
    expect(output).toContain('PORTCULLIS.upstreams.accounts.service: no binding "ACCOUNTS" in [[env.production.services]] of wrangler.toml');
    expect(output).toContain('PORTCULLIS.upstreams.partner.mtls_certificate: no binding "PARTNER_CERT" in [[env.production.mtls_certificates]] of wrangler.toml');
  }, 20_000);

  it("names an unknown upstream and a bad URL", async () => {
    const { code, output } = await check({
      ORIGIN_URL: "https://origin.example.com",
      PORTCULLIS: { upstreams: { billing: { urls: ["https://billing-a.internal", "billing-b"] } }, routes: [{ pattern: "/b/*", upstream: "biling" }] },
    });
    expect(code).toBe(1);
    expect(output).toContain('PORTCULLIS.upstreams.billing.urls[1]: expected an absolute http(s) URL, got "billing-b"');
    expect(output).toContain('PORTCULLIS.routes[0].upstream: no upstream named "biling"; defined: billing');
  }, 20_000);
});
