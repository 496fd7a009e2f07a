// What the benchmark measures: the gateway configuration (one gateway, one
// route per scenario) and the scenarios. A scenario whose feature the source
// tree does not wire in is reported as skipped rather than failing the run.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

const SRC = new URL("../../src/", import.meta.url).pathname;

/** Which optional features the source tree wires into the request path (src/gateway.ts lists the steps). */
export function detectFeatures() {
  const gateway = readFileSync(join(SRC, "gateway.ts"), "utf8");
  return {
    auth: /\bauthenticate\(\)/.test(gateway) && existsSync(join(SRC, "auth/step.ts")),
    rateLimit: /\brateLimit\(\)/.test(gateway) && existsSync(join(SRC, "rate-limit/step.ts")),
    authFailures: existsSync(join(SRC, "rate-limit/lockout.ts")),
    normalization: existsSync(join(SRC, "normalize/origin-error-response.ts")),
    upstreams: existsSync(join(SRC, "upstreams/upstream.ts")),
  };
}

export const GiB = 1024 * 1024 * 1024;
const ISSUER = "https://issuer.bench/";
const AUDIENCE = "portcullis-bench";
// Admits everything: every request is a full decision by the limiter, never a 429.
const HUGE_QUOTA = 999_999_999_999;

/** A fresh API key and ES256 signing key, and what the origin must publish. */
export async function credentials() {
  const apiKey = `pcl_${randomBytes(32).toString("base64url")}`;
  const honoToken = randomBytes(24).toString("base64url");
  const digest = createHash("sha256").update(apiKey).digest("hex");
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "bench-1", alg: "ES256", use: "sig" };
  const token = await new SignJWT({ scope: "orders:read" })
    .setProtectedHeader({ alg: "ES256", kid: "bench-1" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject("bench-user")
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(privateKey);
  return { apiKey, digest, token, honoToken, jwks: { keys: [jwk] } };
}

/** One gateway serves every scenario, each on its own route. */
export function gatewayConfig({ originUrl, digest, features, transferBytes }) {
  const config = {
    routes: [
      { name: "plain", pattern: "/plain/*" },
      { name: "error", pattern: "/error/*" },
      { name: "download", pattern: "/download/*", methods: ["GET"] },
      // The limit sits just above the transfer, so the streamed body is counted all the way.
      { name: "upload", pattern: "/upload/*", methods: ["POST"], max_body_bytes: transferBytes + 1, timeout_ms: 120_000 },
    ],
  };
  // "All features on": every request check configured, the API key checked,
  // its scope required, a quota decided by the RateLimiter Durable Object.
  const full = {
    name: "full",
    pattern: "/full/*",
    methods: ["GET", "POST", "PUT", "DELETE"],
    max_body_bytes: 1_048_576,
    accept: ["application/json", "application/*+json"],
    timeout_ms: 10_000,
  };
  if (features.auth) {
    config.auth = {
      keys: { [digest]: { consumer: "bench", scopes: ["orders:read"] } },
      jwt: { algorithms: ["ES256"], jwks_url: `${originUrl}/.well-known/jwks.json`, issuer: ISSUER, audience: AUDIENCE },
    };
    Object.assign(full, { auth: "api_key", scopes: ["orders:read"] });
    config.routes.push({ name: "jwt", pattern: "/jwt/*", auth: "jwt" });
    // Every request check and the API key, without a quota.
    config.routes.push({ ...full, name: "limits", pattern: "/limits/*" });
  }
  if (features.upstreams) {
    // A Worker bound as a service (BACKEND_WORKER in worker-server.mjs), the route's prefix stripped.
    config.upstreams = { backend: { service: "BACKEND" } };
    config.routes.push({ name: "service", pattern: "/service/*", upstream: "backend", strip_prefix: "/service" });
  }
  if (features.authFailures) config.auth_failures = { attempts: 5, window_seconds: 3600 };
  if (features.rateLimit) {
    config.rate_limits = {
      bench: { quota: HUGE_QUOTA, window_seconds: 60 },
      "bench-leased": { quota: HUGE_QUOTA, window_seconds: 60, lease: 100 },
    };
    Object.assign(full, { rate_limits: ["bench"] });
    config.routes.push({ ...full, name: "full-leased", pattern: "/full-leased/*", rate_limits: ["bench-leased"] });
  }
  config.routes.push(full);
  return config;
}

/**
 * Throughput scenarios. `baseline` names the scenario a gateway row is
 * compared with; `requires` the features it needs; `check` what its probe
 * response must look like.
 */
export function scenarios({ apiKey, token, honoToken }) {
  const json = (res) => /^application\/json/.test(res.headers["content-type"] ?? "");
  const problem = (res) => res.headers["content-type"] === "application/problem+json";
  return [
    { id: "origin", label: "origin, direct (no Worker)", target: "origin", path: "/users/1", expect: 200 },
    { id: "bare", label: "bare pass-through Worker", target: "bare", path: "/users/1", expect: 200 },
    // Floors: what one mandatory piece of gateway work costs on its own.
    { id: "floor-log", label: "floor: bare Worker + one JSON log line", target: "reference", path: "/log/users/1", expect: 200, baseline: "bare" },
    { id: "floor-object", label: "floor: bare Worker + one Durable Object call", target: "reference", path: "/object/users/1", expect: 200, baseline: "bare" },
    { id: "floor-proxy", label: "floor: bare Worker + a reverse proxy's mandatory work (ids, hygiene both ways, Via and forwarding headers, one log line)", target: "reference", path: "/proxy/users/1", expect: 200, baseline: "bare" },
    {
      id: "hono",
      label: "hand-written Hono gateway (bearerAuth + bodyLimit + hono/proxy)",
      target: "hono",
      path: "/users/1",
      headers: { authorization: `Bearer ${honoToken}` },
      expect: 200,
      baseline: "bare",
    },
    { id: "plain", label: "gateway: plain proxy", target: "gateway", path: "/plain/users/1", expect: 200, baseline: "bare", also: "hono", check: json },
    { id: "plain-floor", label: "gateway: plain proxy, vs the mandatory-work floor", target: "gateway", path: "/plain/users/1", expect: 200, baseline: "floor-proxy", check: json },
    {
      id: "limits",
      label: "gateway: API key + limits",
      target: "gateway",
      path: "/limits/users/1",
      headers: { "x-api-key": apiKey },
      expect: 200,
      baseline: "bare",
      requires: ["auth"],
      check: json,
    },
    {
      id: "full",
      label: "gateway: API key + rate limit + limits",
      target: "gateway",
      path: "/full/users/1",
      headers: { "x-api-key": apiKey },
      expect: 200,
      baseline: "bare",
      also: "floor-object",
      requires: ["auth", "rateLimit"],
      check: (res) => json(res) && res.headers["ratelimit-policy"] !== undefined,
    },
    {
      id: "full-leased",
      label: "gateway: same, rate-limit lease = 100",
      target: "gateway",
      path: "/full-leased/users/1",
      headers: { "x-api-key": apiKey },
      expect: 200,
      baseline: "bare",
      requires: ["auth", "rateLimit"],
      check: json,
    },
    {
      id: "jwt",
      label: "gateway: JWT (ES256 via JWKS)",
      target: "gateway",
      path: "/jwt/users/1",
      headers: { authorization: `Bearer ${token}` },
      expect: 200,
      baseline: "bare",
      requires: ["auth"],
      check: json,
    },
    { id: "bare-service", label: "bare Worker → service binding (env.BACKEND.fetch)", target: "bare-service", path: "/users/1", expect: 200, requires: ["upstreams"] },
    {
      id: "service",
      label: "gateway: service-binding upstream",
      target: "gateway",
      path: "/service/users/1",
      expect: 200,
      baseline: "bare-service",
      also: "plain",
      requires: ["upstreams"],
      check: json,
    },
    { id: "bare-error", label: "bare Worker: origin 404 passed through", target: "bare", path: "/error/users/42", expect: 404 },
    {
      id: "floor-problem",
      label: "floor: the mandatory-work floor + the 404 read and answered as problem details (one known shape)",
      target: "reference",
      path: "/problem/error/users/42",
      expect: 404,
      baseline: "bare-error",
      check: problem,
    },
    {
      id: "error",
      label: "gateway: origin 404 normalized",
      target: "gateway",
      path: "/error/users/42",
      expect: 404,
      baseline: "bare-error",
      also: "floor-problem",
      requires: ["normalization"],
      check: problem,
    },
  ];
}
