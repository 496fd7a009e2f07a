// Configuration of upstreams: what each key means once parsed, and one test
// per mistake, each named with its key path.
import { describe, expect, it } from "vitest";
import { parseGatewayConfig, type GatewayConfig } from "../../../src/config/gateway-config";
import { upstreamBindingIssues } from "../../../src/upstreams/config";

const ORIGIN_URL = "https://origin.example.com";

function parsed(portcullis: Record<string, unknown>, env: Record<string, unknown> = { ORIGIN_URL }): GatewayConfig {
  const result = parseGatewayConfig({ ...env, PORTCULLIS: portcullis });
  if (!result.ok) throw new Error(result.issues.join("\n"));
  return result.config;
}

function issues(portcullis: Record<string, unknown>, env: Record<string, unknown> = { ORIGIN_URL }): string[] {
  const result = parseGatewayConfig({ ...env, PORTCULLIS: portcullis });
  return result.ok ? [] : result.issues;
}

const billing = { billing: { urls: ["https://billing-a.internal/v1/", "https://billing-b.internal/v1"] } };

describe("what the keys mean", () => {
  it("reads urls in order, base paths without their trailing slash, with a breaker by default", () => {
    const upstream = parsed({ upstreams: billing }).upstreams.get("billing");
    expect(upstream?.urls.map((u) => u.base)).toEqual(["https://billing-a.internal/v1", "https://billing-b.internal/v1"]);
    expect(upstream?.breaker).toEqual({ failures: 5, cooldownMs: 30_000 });
    expect(upstream?.retryOn).toEqual([]);
  });

  it("reads a service binding, with no breaker unless asked for", () => {
    const upstream = parsed({ upstreams: { accounts: { service: "ACCOUNTS" } } }).upstreams.get("accounts");
    expect(upstream?.transport).toEqual({ kind: "service", binding: "ACCOUNTS" });
    expect(upstream?.urls).toEqual([]);
    expect(upstream?.breaker).toBeUndefined();
  });

  it("reads an mTLS certificate binding with its url, and breaker_failures = 0 as no breaker", () => {
    const upstream = parsed({ upstreams: { partner: { mtls_certificate: "PARTNER_CERT", url: "https://partner.example.com", breaker_failures: 0 } } }).upstreams.get("partner");
    expect(upstream?.transport).toEqual({ kind: "mtls_certificate", binding: "PARTNER_CERT" });
    expect(upstream?.breaker).toBeUndefined();
  });

  it("routes inherit upstream and preserve_host from [defaults]; ORIGIN_URL is then optional", () => {
    const config = parsed(
      { upstreams: { accounts: { service: "ACCOUNTS" } }, defaults: { upstream: "accounts", preserve_host: true }, routes: [{ pattern: "/a/*" }] },
      {},
    );
    expect(config.origin).toBeUndefined();
    expect(config.routes[0]?.settings.upstream).toEqual({ upstream: "accounts", preserveHost: true });
  });

  it("takes the route's timeout_ms, else its upstream's, else the inherited one", () => {
    const config = parsed({
      upstreams: { slow: { url: "https://slow.internal", timeout_ms: 60_000 } },
      defaults: { timeout_ms: 5_000 },
      routes: [
        { pattern: "/own/*", upstream: "slow", timeout_ms: 1_000 },
        { pattern: "/slow/*", upstream: "slow" },
        { pattern: "/plain/*" },
      ],
    });
    expect(config.routes.map((r) => r.settings.timeoutMs)).toEqual([1_000, 60_000, 5_000]);
  });

  it("counts strip_prefix in segments of the pattern, literal or parameter, in any case", () => {
    const config = parsed({
      routes: [
        { pattern: "/billing/*", strip_prefix: "/billing" },
        { pattern: "/t/:tenant/users/*", strip_prefix: "/T/:tenant" },
        { pattern: "/x/*" },
      ],
    });
    expect(config.routes.map((r) => r.stripSegments)).toEqual([1, 2, 0]);
  });
});

describe("mistakes", () => {
  it("requires ORIGIN_URL unless [defaults] names an upstream", () => {
    expect(issues({ upstreams: billing, routes: [{ pattern: "/b/*", upstream: "billing" }] }, {})).toEqual([
      'ORIGIN_URL: required unless [defaults] sets upstream: the origin API\'s base URL, e.g. "https://api.example.com"',
    ]);
  });

  it("requires a url, urls or a service", () => {
    expect(issues({ upstreams: { billing: { timeout_ms: 100 } } })).toEqual(["PORTCULLIS.upstreams.billing: required: url, urls or service (a [[services]] binding)"]);
  });

  it("refuses url and urls together", () => {
    expect(issues({ upstreams: { billing: { url: "https://a.test", urls: ["https://b.test"] } } })).toEqual(["PORTCULLIS.upstreams.billing: set either url or urls, not both"]);
  });

  it("refuses an empty urls list", () => {
    expect(issues({ upstreams: { billing: { urls: [] } } })).toEqual(["PORTCULLIS.upstreams.billing.urls: expected at least one URL, got an array"]);
  });

  it("refuses more than 16 urls", () => {
    const urls = Array.from({ length: 17 }, (_, i) => `https://b${i}.test`);
    expect(issues({ upstreams: { billing: { urls } } })).toEqual(["PORTCULLIS.upstreams.billing.urls: at most 16 URLs, got 17"]);
  });

  it("refuses a URL listed twice", () => {
    expect(issues({ upstreams: { billing: { urls: ["https://a.test/v1", "https://a.test/v1/"] } } })).toEqual([
      'PORTCULLIS.upstreams.billing.urls[1]: "https://a.test/v1" is listed twice',
    ]);
  });

  it("names a URL that is not http(s)", () => {
    expect(issues({ upstreams: { billing: { urls: ["https://a.test", "ftp://b.test"] } } })).toEqual([
      'PORTCULLIS.upstreams.billing.urls[1]: expected an absolute http(s) URL, got "ftp://b.test"',
    ]);
  });

  it("names a URL with a query, fragment or credentials", () => {
    expect(issues({ upstreams: { billing: { url: "https://u:p@a.test/?x=1" } } })).toEqual([
      'PORTCULLIS.upstreams.billing.url: must not contain a query, fragment or credentials, got "https://u:p@a.test/?x=1"',
    ]);
  });

  it("refuses service and mtls_certificate together", () => {
    expect(issues({ upstreams: { billing: { service: "BILLING", mtls_certificate: "CERT", url: "https://a.test" } } })).toEqual([
      "PORTCULLIS.upstreams.billing: set either service or mtls_certificate, not both",
    ]);
  });

  it("names a binding that cannot be a wrangler binding name", () => {
    expect(issues({ upstreams: { billing: { service: "billing-worker" } } })).toEqual([
      'PORTCULLIS.upstreams.billing.service: expected a binding name from wrangler.toml such as "BILLING", got "billing-worker"',
    ]);
  });

  it("requires a url for an mTLS certificate", () => {
    expect(issues({ upstreams: { partner: { mtls_certificate: "CERT" } } })).toEqual([
      "PORTCULLIS.upstreams.partner.mtls_certificate: needs url or urls: the origin the certificate is presented to",
    ]);
  });

  it("gives a service at most one url", () => {
    expect(issues({ upstreams: { billing: { service: "BILLING", urls: ["https://a.test", "https://b.test"] } } })).toEqual([
      "PORTCULLIS.upstreams.billing.urls: a service binding is one Worker: give it at most one url (the URL it sees)",
    ]);
  });

  it("requires several urls for retry_on", () => {
    expect(issues({ upstreams: { billing: { url: "https://a.test", retry_on: [503] } } })).toEqual([
      "PORTCULLIS.upstreams.billing.retry_on: needs several urls: a retry goes to the next URL, and this upstream has one",
    ]);
  });

  it("accepts only 5xx statuses in retry_on", () => {
    expect(issues({ upstreams: { billing: { ...billing.billing, retry_on: [503, 404] } } })).toEqual([
      "PORTCULLIS.upstreams.billing.retry_on[1]: expected a status from 500 to 599, got 404",
    ]);
  });

  it("names a negative breaker_failures", () => {
    expect(issues({ upstreams: { billing: { ...billing.billing, breaker_failures: -1 } } })).toEqual([
      "PORTCULLIS.upstreams.billing.breaker_failures: expected a non-negative integer, got -1",
    ]);
  });

  it("bounds breaker_cooldown_seconds", () => {
    expect(issues({ upstreams: { billing: { ...billing.billing, breaker_cooldown_seconds: 7200 } } })).toEqual([
      "PORTCULLIS.upstreams.billing.breaker_cooldown_seconds: expected a positive integer up to 3600, got 7200",
    ]);
  });

  it("bounds an upstream's timeout_ms like a route's", () => {
    expect(issues({ upstreams: { billing: { ...billing.billing, timeout_ms: 0 } } })).toEqual([
      "PORTCULLIS.upstreams.billing.timeout_ms: expected a positive integer up to 900000, got 0",
    ]);
  });

  it("names an unknown key of an upstream", () => {
    expect(issues({ upstreams: { billing: { ...billing.billing, retry_onn: [503] } } })).toEqual([
      'PORTCULLIS.upstreams.billing.retry_onn: unknown key (did you mean "retry_on"?)',
    ]);
  });

  it("names an upstream that is not a table", () => {
    expect(issues({ upstreams: { billing: "https://a.test" } })).toEqual(['PORTCULLIS.upstreams.billing: expected a table, got "https://a.test"']);
  });

  it("names a route's unknown upstream and lists the defined ones", () => {
    expect(issues({ upstreams: billing, routes: [{ pattern: "/b/*", upstream: "biling" }] })).toEqual([
      'PORTCULLIS.routes[0].upstream: no upstream named "biling"; defined: billing',
    ]);
  });

  it("names an invalid upstream once, not again at each route that uses it", () => {
    expect(issues({ upstreams: { billing: { url: "billing" } }, routes: [{ pattern: "/b/*", upstream: "billing" }] })).toEqual([
      'PORTCULLIS.upstreams.billing.url: expected an absolute http(s) URL, got "billing"',
    ]);
  });

  it("says when no upstream is defined at all", () => {
    expect(issues({ defaults: { upstream: "billing" } })).toEqual(['PORTCULLIS.defaults.upstream: no upstream named "billing" (PORTCULLIS.upstreams defines none)']);
  });

  it("refuses preserve_host where the upstream is reached by URL", () => {
    expect(issues({ upstreams: billing, routes: [{ pattern: "/b/*", upstream: "billing", preserve_host: true }] })).toEqual([
      'PORTCULLIS.routes[0].preserve_host: only a service upstream can see the client\'s Host; "billing" is reached by URL, ' +
        "and a Worker's fetch always sends the URL's host (the origin finds the client's in X-Forwarded-Host and Forwarded)",
    ]);
  });

  it("names a strip_prefix that is not a path prefix", () => {
    expect(issues({ routes: [{ pattern: "/billing/*", strip_prefix: "/billing/" }] })).toEqual([
      'PORTCULLIS.routes[0].strip_prefix: expected a path prefix such as "/billing" (no trailing slash), got "/billing/"',
    ]);
  });

  it("names a strip_prefix that is not leading segments of the pattern", () => {
    expect(issues({ routes: [{ pattern: "/billing/*", strip_prefix: "/bill" }] })).toEqual([
      'PORTCULLIS.routes[0].strip_prefix: must be leading segments of the route\'s pattern "/billing/*", got "/bill"',
    ]);
  });

  it("keeps strip_prefix out of [defaults]: it belongs to a pattern", () => {
    expect(issues({ defaults: { strip_prefix: "/api" } })).toEqual(["PORTCULLIS.defaults.strip_prefix: unknown key"]);
  });
});

describe("bindings an environment must declare (npm run check)", () => {
  const upstreams = parsed({
    upstreams: { accounts: { service: "ACCOUNTS" }, partner: { mtls_certificate: "PARTNER_CERT", url: "https://partner.example.com" }, billing: billing.billing },
  }).upstreams;

  it("names a service binding missing from [[services]]", () => {
    expect(upstreamBindingIssues(upstreams, { services: [], mtlsCertificates: ["PARTNER_CERT"] }, "env.production")).toEqual([
      'PORTCULLIS.upstreams.accounts.service: no binding "ACCOUNTS" in [[env.production.services]] of wrangler.toml',
    ]);
  });

  it("names a certificate binding missing from [[mtls_certificates]]", () => {
    expect(upstreamBindingIssues(upstreams, { services: ["ACCOUNTS"], mtlsCertificates: [] }, "")).toEqual([
      'PORTCULLIS.upstreams.partner.mtls_certificate: no binding "PARTNER_CERT" in [[mtls_certificates]] of wrangler.toml',
    ]);
  });
});
