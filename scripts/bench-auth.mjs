#!/usr/bin/env node
// `node scripts/bench-auth.mjs [iterations]`: the CPU time authentication adds
// to a request, for an API key (SHA-256 + lookup among 1,000 keys +
// constant-time compare) and for an ES256 JWT verified with a cached JWKS key.
// The src/auth modules are bundled with esbuild and timed in Node after a
// warm-up. Targets: API key < 0.1 ms, JWT < 0.5 ms.
import { build } from "esbuild";
import { timingSafeEqual } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const iterations = Number(process.argv[2] ?? 20_000);
const warmup = Math.min(2_000, iterations);

// Workers provide crypto.subtle.timingSafeEqual (a Cloudflare extension); Node does not.
if (typeof crypto.subtle.timingSafeEqual !== "function") {
  crypto.subtle.timingSafeEqual = (a, b) => timingSafeEqual(a, b);
}

const dir = mkdtempSync(join(tmpdir(), "portcullis-bench-"));
try {
  const entry = join(dir, "entry.ts");
  writeFileSync(
    entry,
    [
      `export { readCredentials } from ${JSON.stringify(join(root, "src/auth/credentials.ts"))};`,
      `export { staticKeys, verifyApiKey, sha256, toHex } from ${JSON.stringify(join(root, "src/auth/api-keys.ts"))};`,
      `export { verifyJwt } from ${JSON.stringify(join(root, "src/auth/jwt.ts"))};`,
      `export { JwksCache } from ${JSON.stringify(join(root, "src/auth/jwks.ts"))};`,
      `export { SignJWT, exportJWK, generateKeyPair } from "jose";`,
    ].join("\n"),
  );
  const outfile = join(dir, "auth.mjs");
  await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "neutral", mainFields: ["module", "main"], outfile, logLevel: "warning", nodePaths: [join(root, "node_modules")] });
  const auth = await import(pathToFileURL(outfile).href);

  // API keys: 1,000 configured keys, one presented in X-API-Key.
  const keys = new Map();
  let presented = "";
  for (let i = 0; i < 1_000; i++) {
    const key = `pcl_bench_${i}_${"x".repeat(32)}`;
    keys.set(auth.toHex(await auth.sha256(key)), { consumer: `c${i}`, scopes: ["read"], disabled: false });
    if (i === 500) presented = key;
  }
  const sources = [auth.staticKeys(keys)];
  const headers = new Headers({ "x-api-key": presented });
  const apiKey = async () => {
    const credential = auth.readCredentials(headers, "https://gw.test/orders", { apiKeyHeader: "x-api-key", readsApiKeys: true });
    const result = await auth.verifyApiKey(credential.key, sources, Date.now());
    if (!result.ok) throw new Error(result.cause);
  };

  // JWT: ES256, key set fetched once and cached.
  const { privateKey, publicKey } = await auth.generateKeyPair("ES256");
  const jwk = { ...(await auth.exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  const jwks = new auth.JwksCache("https://issuer.bench/jwks.json", { cooldownMs: 30_000, maxAgeMs: 600_000, fetch: async () => Response.json({ keys: [jwk] }) });
  const config = { algorithms: ["ES256"], key: { kind: "jwks" }, issuer: ["https://issuer.bench/"], audience: ["api"], leewaySeconds: 30, consumerClaim: "sub" };
  const token = await new auth.SignJWT({ scope: "read write" }).setProtectedHeader({ alg: "ES256", kid: "k1" }).setIssuer("https://issuer.bench/").setAudience("api").setSubject("user-1").setExpirationTime("1h").sign(privateKey);
  const bearer = new Headers({ authorization: `Bearer ${token}` });
  const jwt = async () => {
    const credential = auth.readCredentials(bearer, "https://gw.test/orders", { apiKeyHeader: "x-api-key", readsApiKeys: false });
    const result = await auth.verifyJwt(credential.token, jwks.getKey, config, new Date());
    if (!result.ok) throw new Error(result.cause);
  };

  console.log(`Portcullis auth benchmark: Node ${process.version}, ${iterations} iterations after ${warmup} warm-up\n`);
  for (const [name, fn, targetMs] of [["API key (SHA-256, 1,000 keys)", apiKey, 0.1], ["JWT ES256 (cached JWKS key)", jwt, 0.5]]) {
    for (let i = 0; i < warmup; i++) await fn();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn();
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6 / iterations;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000 / iterations;
    const verdict = cpuMs < targetMs ? "ok" : "OVER TARGET";
    console.log(`${name.padEnd(32)} ${cpuMs.toFixed(4)} ms CPU/request  (${wallMs.toFixed(4)} ms wall)  target < ${targetMs} ms: ${verdict}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
