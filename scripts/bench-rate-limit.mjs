#!/usr/bin/env node
// Benchmark of rate limiting: the real bundled Worker in workerd (Miniflare,
// SQLite-backed RateLimiter objects), a Node origin on 127.0.0.1, and a Node
// keep-alive HTTP client. Loopback only; every phase is bounded in count and time.
//
// Prints, in one run:
//   - decisions per second for one hot key (no lease, and with lease = 100),
//     and for many keys (1,000 clients), next to the same route with no limit;
//   - the latency a limit adds per request (p50/p99, sequential requests,
//     interleaved with the unlimited route so both see the same machine state).
//
//
// The objects' SQLite files are on tmpfs (/dev/shm) unless `--storage disk`:
// on Cloudflare an object's database is in memory and made durable by
// replication, not by fsync on a local disk (see scripts/run-gateway.mjs).
//
// Usage: node scripts/bench-rate-limit.mjs [requestsPerPhase=20000] [concurrency=32] [--storage memory|disk]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Miniflare } from "miniflare";
import { parse } from "smol-toml";
import { memoryStorageDir } from "./run-gateway.mjs";

const wrangler = parse(readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8"));

const args = process.argv.slice(2);
const storageFlag = args.indexOf("--storage");
const STORAGE = storageFlag === -1 ? "memory" : args.splice(storageFlag, 2)[1];
if (STORAGE !== "memory" && STORAGE !== "disk") throw new Error(`--storage must be "memory" or "disk", got ${STORAGE}`);
const REQUESTS = Number(args[0] ?? 20_000);
const CONCURRENCY = Number(args[1] ?? 32);
const LATENCY_SAMPLES = Math.min(5_000, REQUESTS);
const PHASE_LIMIT_MS = 30_000;
const HUGE = 999_999_999_999; // admits everything: every request is a full decision

const PORTCULLIS = {
  rate_limits: {
    hot: { quota: HUGE, window_seconds: 60, key: "route" },
    "hot-leased": { quota: HUGE, window_seconds: 60, key: "route", lease: 100 },
    "hot-confirmed": { quota: HUGE, window_seconds: 60, key: "route", confirm_writes: true },
    "per-client": { quota: HUGE, window_seconds: 60, key: "header:X-Client" },
  },
  routes: [
    { pattern: "/none", rate_limits: [] },
    { pattern: "/hot", name: "hot", rate_limits: ["hot"] },
    { pattern: "/hot-leased", name: "hot-leased", rate_limits: ["hot-leased"] },
    { pattern: "/hot-confirmed", name: "hot-confirmed", rate_limits: ["hot-confirmed"] },
    { pattern: "/many", rate_limits: ["per-client"] },
  ],
};

function bundle() {
  const outdir = mkdtempSync(join(tmpdir(), "portcullis-bench-"));
  execFileSync("wrangler", ["deploy", "--dry-run", "--outdir", outdir], {
    stdio: "pipe",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "error" },
  });
  return outdir;
}

async function startOrigin() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain", "content-length": "2" }).end("ok"));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function get(agent, base, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(new URL(path, base), { agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, ms: performance.now() - started }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** `count` requests, `concurrency` at a time, stopping early after PHASE_LIMIT_MS. */
async function throughput(agent, base, path, headersFor) {
  let next = 0;
  const statuses = new Map();
  const started = performance.now();
  async function worker() {
    while (next < REQUESTS && performance.now() - started < PHASE_LIMIT_MS) {
      const i = next++;
      const { status } = await get(agent, base, path, headersFor(i));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const done = [...statuses.values()].reduce((a, b) => a + b, 0);
  return { perSecond: done / seconds, done, statuses: Object.fromEntries(statuses) };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Sequential requests, the routes interleaved, to compare latencies under the same conditions. */
async function latency(agent, base, routes) {
  const samples = Object.fromEntries(routes.map(([name]) => [name, []]));
  const started = performance.now();
  for (let i = 0; i < LATENCY_SAMPLES && performance.now() - started < PHASE_LIMIT_MS; i++) {
    for (const [name, path, headersFor] of routes) samples[name].push((await get(agent, base, path, headersFor(i))).ms);
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return [name, { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length }];
    }),
  );
}

const noHeaders = () => ({});
const client = (i) => ({ "x-client": `client-${i % 1000}` });

const outdir = bundle();
const origin = await startOrigin();
const storageDir = STORAGE === "memory" ? memoryStorageDir() : undefined;
const mf = new Miniflare({
  ...(storageDir === undefined ? {} : { durableObjectsPersist: storageDir }),
  name: "portcullis",
  modules: true,
  scriptPath: join(outdir, "index.js"),
  modulesRoot: outdir,
  // wrangler.toml travels in the bundle as a text module (src/config/wrangler-toml.txt).
  modulesRules: [{ type: "Text", include: ["**/*.txt"] }],
  compatibilityDate: String(wrangler.compatibility_date),
  compatibilityFlags: wrangler.compatibility_flags ?? [],
  bindings: { ORIGIN_URL: `http://127.0.0.1:${origin.address().port}`, PORTCULLIS },
  durableObjects: { RATE_LIMITER: { className: "RateLimiter", useSQLite: true } },
  // The Worker on its own socket, without Miniflare's edge-emulating entry worker in front.
  unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  host: "127.0.0.1",
  port: 0,
  // No network on this machine for the request.cf lookup.
  cf: { colo: "LOCAL", country: "XX" },
  // One JSON log line per request, as in production; drained, not printed.
  handleRuntimeStdio(stdout, stderr) {
    stdout.resume();
    stderr.resume();
  },
});
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
await mf.ready;
const base = (await mf.unsafeGetDirectURL("portcullis")).href;

try {
  // Warm up: JIT, the objects and their SQLite files, the connection pool.
  for (const path of ["/none", "/hot", "/hot-leased", "/hot-confirmed", "/many"]) {
    for (let i = 0; i < 1000; i += CONCURRENCY) {
      await Promise.all(Array.from({ length: CONCURRENCY }, (_, j) => get(agent, base, path, client(i + j))));
    }
  }

  console.log(`Object storage: ${storageDir === undefined ? "disk (Miniflare's temporary directory)" : `memory (${storageDir}, tmpfs)`}`);
  console.log(`Throughput: ${REQUESTS} requests per phase, ${CONCURRENCY} concurrent (loopback, one workerd process)`);
  const phases = [
    ["no limit (/none)", "/none", noHeaders],
    ["one hot key, no lease", "/hot", noHeaders],
    ["one hot key, lease = 100", "/hot-leased", noHeaders],
    ["one hot key, confirm_writes", "/hot-confirmed", noHeaders],
    ["1,000 keys", "/many", client],
  ];
  for (const [label, path, headersFor] of phases) {
    const r = await throughput(agent, base, path, headersFor);
    console.log(`  ${label.padEnd(28)} ${r.perSecond.toFixed(0).padStart(7)} decisions/s  (${r.done} requests, statuses ${JSON.stringify(r.statuses)})`);
  }

  console.log(`\nLatency: sequential requests, routes interleaved (${LATENCY_SAMPLES} samples each)`);
  const lat = await latency(agent, base, [
    ["none", "/none", noHeaders],
    ["hot", "/hot", noHeaders],
    ["hot-leased", "/hot-leased", noHeaders],
    ["hot-confirmed", "/hot-confirmed", noHeaders],
    ["many", "/many", client],
  ]);
  const fmt = (ms) => `${ms.toFixed(3)} ms`;
  console.log(`  no limit                      p50 ${fmt(lat.none.p50)}  p99 ${fmt(lat.none.p99)}`);
  for (const [name, label] of [
    ["hot", "one hot key, no lease"],
    ["hot-leased", "one hot key, lease = 100"],
    ["hot-confirmed", "one hot key, confirm_writes"],
    ["many", "1,000 keys"],
  ]) {
    const added50 = lat[name].p50 - lat.none.p50;
    const added99 = lat[name].p99 - lat.none.p99;
    console.log(`  ${label.padEnd(28)}  p50 ${fmt(lat[name].p50)}  p99 ${fmt(lat[name].p99)}  added: p50 ${fmt(added50)}, p99 ${fmt(added99)}`);
  }
} finally {
  agent.destroy();
  await mf.dispose();
  origin.close();
  rmSync(outdir, { recursive: true, force: true });
  if (storageDir !== undefined) rmSync(storageDir, { recursive: true, force: true });
}
