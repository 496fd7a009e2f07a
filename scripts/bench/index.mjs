#!/usr/bin/env node
// `npm run bench`: the gateway against a bare pass-through Worker in the same
// runtime, and against the origin itself, in one run on 127.0.0.1.
//
// Processes: this orchestrator; the origin; the load generator; and one
// Miniflare + workerd each for the gateway bundle and the bare Worker (the
// Worker on its own socket, no Miniflare entry worker in front). The load
// generator and the origin have their own processes so that neither shares an
// event loop with the other or with this one.
//
// Measures: requests/s and p50/p99 under load per scenario, the gateway's
// workerd CPU time per request, latency one request at a time, 1 GiB streamed
// up and down with the workerd process's peak memory, cold start, bundle size.
// Writes bench/results.md and bench/results.json.
//
// Each throughput scenario runs once per round, all scenarios in turn, and
// reports the median over the rounds; a ratio is taken within each round
// (against its baseline's run in the same round) and its median reported, so
// the machine's state shifts both sides alike.
//
// Options: --rounds <n> (3) --duration <s> (3) --warmup <s> (1) --concurrency <n> (32)
//          --latency <s> (10) --transfer-mib <n> (1024) --cold-starts <n> (3)
//          --only <id,id,…> (throughput scenarios to run; their baselines run too)
// Bounded: stops itself after 180 s + 20 × (warm-up + duration + 1 s) per round, and always
// stops every process it started.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { memoryStorageDir } from "../run-gateway.mjs";
import { honoPeer } from "./hono-peer.mjs";
import { call, start, stop, stopAll, trackWorkerd } from "./children.mjs";
import { cpuSeconds, machine, memory, resetPeakRss } from "./proc.mjs";
import { evaluateTargets, renderMarkdown, writeResults } from "./report.mjs";
import { credentials, detectFeatures, gatewayConfig, scenarios } from "./scenarios.mjs";

const TRANSFER_LIMIT_MS = 60_000;
const startedAt = Date.now();
const MiB = 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "3" },
    only: { type: "string", default: "" },
    warmup: { type: "string", default: "1" },
    concurrency: { type: "string", default: "32" },
    latency: { type: "string", default: "10" },
    "transfer-mib": { type: "string", default: "1024" },
    "cold-starts": { type: "string", default: "3" },
  },
});
// Bounded: a round runs each of the (under 20) throughput scenarios for warm-up + duration plus
// about a second of probing; the rest (bundle, cold starts, latency, streaming) takes under 180 s.
const TIME_LIMIT_MS = 180_000 + Math.max(1, Number(args.rounds)) * 20 * (Number(args.warmup) + Number(args.duration) + 1) * 1000;
const settings = {
  rounds: Number(args.rounds),
  durationSeconds: Number(args.duration),
  warmupSeconds: Number(args.warmup),
  concurrency: Number(args.concurrency),
  latencySeconds: Number(args.latency),
  transferBytes: Number(args["transfer-mib"]) * MiB,
  coldStarts: Number(args["cold-starts"]),
};
const only = args.only === "" ? undefined : new Set(args.only.split(",").map((id) => id.trim()));
for (const [name, value] of Object.entries(settings)) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: expected a positive number, got ${value}`);
}

const log = (line) => console.log(`[bench] ${line}`);
const tmp = [];

let cleaning;
function cleanup() {
  cleaning ??= stopAll().finally(() => {
    for (const dir of tmp) rmSync(dir, { recursive: true, force: true });
  });
  return cleaning;
}
const watchdog = setTimeout(() => {
  console.error(`[bench] over the ${TIME_LIMIT_MS / 1000} s limit: stopping`);
  void cleanup().finally(() => process.exit(2));
}, TIME_LIMIT_MS);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

function versions() {
  const pkg = (name) => JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
  let workerd;
  try {
    workerd = execFileSync("workerd", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    workerd = `npm workerd ${pkg("workerd")}`;
  }
  return { node: process.version, workerd: `${workerd} (npm ${pkg("workerd")})`, miniflare: pkg("miniflare") };
}

/** The bundle exactly as `wrangler deploy` would upload it, and its size. */
function build() {
  const outdir = mkdtempSync(join(tmpdir(), "portcullis-bench-"));
  tmp.push(outdir);
  const output = execFileSync("wrangler", ["deploy", "--dry-run", "--outdir", outdir], {
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of readdirSync(outdir)) {
    // Modules only: wrangler uploads no source map unless upload_source_maps is set.
    if (!/\.(m?js|cjs|wasm)$/.test(file)) continue;
    const contents = readFileSync(join(outdir, file));
    rawBytes += statSync(join(outdir, file)).size;
    gzipBytes += gzipSync(contents).length;
  }
  const wranglerSays = /Total Upload: ([^\n]+)/.exec(output)?.[1]?.trim();
  return { bundlePath: join(outdir, "index.js"), bundle: { rawBytes, gzipBytes, wranglerSays } };
}

async function startWorker(job, firstPath) {
  const child = start("./worker-server.mjs");
  const reply = await call(child, { ...job, firstPath }, { timeoutMs: 60_000 });
  trackWorkerd(reply.pid);
  return { child, ...reply };
}

function probe(url, headers = {}) {
  return new Promise((resolve) => {
    const req = request(url, { headers, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", (error) => resolve({ status: 0, headers: {}, body: error.message }));
    req.setTimeout(10_000, () => req.destroy(new Error("probe timed out")));
    req.end();
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Each row's median over the rounds, and its ratios to its baselines: the
 * median of the per-round ratios, each taken within one round. Statuses add up.
 */
function summarizeRounds(rows) {
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  for (const row of rows) {
    if (row.runs.length === 0) continue;
    for (const key of ["rps", "p50", "p90", "p99", "max", "workerdCpuMicros", "seconds"]) row[key] = median(row.runs.map((r) => r[key]));
    row.requests = row.runs.reduce((n, r) => n + r.requests, 0);
    row.statuses = {};
    for (const run of row.runs) for (const [status, n] of Object.entries(run.statuses)) row.statuses[status] = (row.statuses[status] ?? 0) + n;
    row.unexpected = [...new Set(row.runs.flatMap((r) => r.unexpected))];
  }
  for (const row of rows) {
    row.ratios = {};
    for (const other of [row.baseline, row.also]) {
      const base = other === undefined ? undefined : byId[other];
      if (base === undefined || base.runs.length === 0 || row.runs.length === 0) continue;
      row.ratios[other] = median(row.runs.map((r, i) => r.rps / (base.runs[i]?.rps ?? NaN)).filter(Number.isFinite));
    }
  }
}

async function coldStarts(jobs) {
  const runs = { bare: [], gateway: [] };
  for (let i = 0; i < settings.coldStarts; i++) {
    // Alternate, so that both see the same machine state.
    for (const kind of ["bare", "gateway"]) {
      // The bundle goes in as module contents, as the bare Worker does, so that
      // Miniflare's own handling of a script path is not counted as the bundle's.
      const job = kind === "gateway" ? { ...jobs.gateway, kind: "gateway-module" } : jobs.bare;
      const worker = await startWorker(job, kind === "gateway" ? "/plain/users/1" : "/users/1");
      if (worker.firstStatus !== 200) throw new Error(`cold start of ${kind}: first response ${worker.firstStatus}`);
      runs[kind].push(worker);
      await stop(worker.child);
    }
  }
  const summary = (list) => ({ readyMs: median(list.map((r) => r.readyMs)), firstResponseMs: median(list.map((r) => r.firstResponseMs)), runs: list.length });
  return { bare: summary(runs.bare), gateway: summary(runs.gateway) };
}

async function throughput(loader, scenario, base, pid) {
  let before;
  const result = await call(
    loader,
    {
      mode: "throughput",
      url: new URL(scenario.path, base).href,
      headers: scenario.headers ?? {},
      concurrency: settings.concurrency,
      warmupMs: settings.warmupSeconds * 1000,
      durationMs: settings.durationSeconds * 1000,
    },
    { timeoutMs: (settings.warmupSeconds + settings.durationSeconds) * 1000 + 30_000, onPhase: () => (before = cpuSeconds(pid)) },
  );
  const { requests, rps, p50, p90, p99, max, statuses, seconds } = result.result;
  const cpu = cpuSeconds(pid) - before;
  const unexpected = Object.keys(statuses).filter((s) => s !== String(scenario.expect));
  return { requests, seconds, rps, p50, p90, p99, max, statuses, unexpected, workerdCpuMicros: (cpu * 1e6) / requests };
}

/**
 * One 1 GiB transfer, with the peak RSS of the workerd process that carries
 * it. `length`: with a Content-Length (workerd streams it natively), or
 * chunked (the gateway counts the bytes as they pass).
 */
async function transfer(loader, { direction, length, through, base, pid, timeoutMs }) {
  const bytes = settings.transferBytes;
  const job =
    direction === "download"
      ? { mode: "download", url: new URL(`/download/x?bytes=${bytes}${length ? "&length=1" : ""}`, base).href, timeoutMs }
      : { mode: "upload", url: new URL("/upload/x", base).href, bytes, length, timeoutMs };
  const peakFromHwm = resetPeakRss(pid);
  const rssBefore = memory(pid).rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, memory(pid).rss);
    } catch {
      // workerd gone: the transfer fails and says so.
    }
  }, 20);
  let result;
  try {
    result = (await call(loader, job, { timeoutMs: timeoutMs + 10_000 })).result;
  } finally {
    clearInterval(sampler);
  }
  if (peakFromHwm) peakRss = Math.max(peakRss, memory(pid).hwm);
  const delivered = direction === "download" ? result.bytes : Number(/"bytes":(\d+)/.exec(result.body ?? "")?.[1] ?? NaN);
  const ok = result.status === 200 && delivered === bytes;
  return {
    direction: `${direction} ${bytes / MiB} MiB, ${length ? "Content-Length" : "chunked"}`,
    through,
    bytes,
    seconds: result.seconds,
    mbps: ok ? bytes / 1e6 / result.seconds : NaN,
    rssBefore,
    peakRss,
    growthBytes: peakRss - rssBefore,
    peakFrom: peakFromHwm ? "VmHWM, reset before each transfer (clear_refs 5), and VmRSS sampled every 20 ms" : "VmRSS sampled every 20 ms",
    ok,
    error: ok ? undefined : (result.error ?? `status ${result.status}, ${delivered} of ${bytes} bytes`),
  };
}

async function main() {
  const results = { date: new Date().toISOString(), machine: { ...machine(), ...versions() }, settings };
  // Where the gateway's Durable Objects keep their SQLite files (scripts/run-gateway.mjs, `storage: "memory"`).
  results.machine.object_storage = memoryStorageDir.available() ? "tmpfs (/dev/shm): on Cloudflare durability is replication, not a local fsync" : "disk (no /dev/shm here)";
  log(`${results.machine.nproc} CPUs (${results.machine.cpu}), load ${results.machine.loadavg_at_start}; node ${results.machine.node}, ${results.machine.workerd}`);

  log("bundling with wrangler deploy --dry-run");
  const { bundlePath, bundle } = build();
  results.bundle = bundle;
  log(`bundle: ${(bundle.rawBytes / 1024).toFixed(1)} KiB, ${(bundle.gzipBytes / 1024).toFixed(1)} KiB gzip`);

  const features = detectFeatures();
  results.features = features;
  const creds = await credentials();
  const origin = start("./origin-server.mjs", { BENCH_JWKS: JSON.stringify(creds.jwks) });
  const { url: originUrl } = await call(origin, undefined, { timeoutMs: 10_000 });
  const loader = start("./load.mjs");

  const portcullis = gatewayConfig({ originUrl, digest: creds.digest, features, transferBytes: settings.transferBytes });
  const jobs = {
    // With a Worker bound as a service when the source tree has upstreams (the service-binding row).
    gateway: { kind: "gateway", bundlePath, origin: originUrl, portcullis, serviceBackend: features.upstreams },
    bare: { kind: "bare", origin: originUrl },
    reference: { kind: "reference", origin: originUrl },
  };

  log(`cold start, ${settings.coldStarts} times each`);
  results.coldStart = await coldStarts(jobs);

  const gateway = await startWorker(jobs.gateway, "/plain/users/1");
  const bare = await startWorker(jobs.bare, "/users/1");
  const reference = await startWorker(jobs.reference, "/log/users/1");
  const bareService = features.upstreams ? await startWorker({ kind: "bare-service" }, "/users/1") : undefined;
  const hono = await startWorker({ kind: "module", contents: await honoPeer(), bindings: { ORIGIN: originUrl, TOKEN: creds.honoToken } }, "/users/1");
  const targets = {
    origin: { base: originUrl, pid: origin.pid },
    bare: { base: bare.url, pid: bare.pid },
    reference: { base: reference.url, pid: reference.pid },
    gateway: { base: gateway.url, pid: gateway.pid },
    hono: { base: hono.url, pid: hono.pid },
    ...(bareService === undefined ? {} : { "bare-service": { base: bareService.url, pid: bareService.pid } }),
  };

  results.throughput = [];
  const measured = [];
  const all = scenarios(creds);
  const wanted = only === undefined
    ? all
    : all.filter((sc) => only.has(sc.id) || all.some((o) => only.has(o.id) && (o.baseline === sc.id || o.also === sc.id)));
  const runnable = [];
  for (const scenario of wanted) {
    const row = { id: scenario.id, label: scenario.label, target: scenario.target, baseline: scenario.baseline, also: scenario.also, runs: [] };
    results.throughput.push(row);
    const missing = (scenario.requires ?? []).filter((f) => !features[f]);
    if (missing.length > 0) {
      row.skipped = `skipped: feature not present (${missing.join(", ")})`;
      log(`${scenario.label}: ${row.skipped}`);
      continue;
    }
    const { base } = targets[scenario.target];
    const first = await probe(new URL(scenario.path, base), scenario.headers);
    if (first.status !== scenario.expect || (scenario.check && !scenario.check(first))) {
      row.skipped = `skipped: probe answered ${first.status} ${first.headers["content-type"] ?? ""} ${first.body.slice(0, 200)}`;
      log(`${scenario.label}: ${row.skipped}`);
      continue;
    }
    runnable.push({ scenario, row });
    measured.push({ name: scenario.id, url: new URL(scenario.path, base).href, headers: scenario.headers ?? {} });
  }
  for (let round = 1; round <= settings.rounds; round++) {
    log(`throughput, round ${round} of ${settings.rounds}: ${settings.durationSeconds} s per scenario at concurrency ${settings.concurrency}`);
    for (const { scenario, row } of runnable) {
      const { base, pid } = targets[scenario.target];
      const run = await throughput(loader, scenario, base, pid);
      row.runs.push(run);
      log(`  ${scenario.id}: ${Math.round(run.rps)} req/s, p99 ${run.p99.toFixed(2)} ms, workerd ${Math.round(run.workerdCpuMicros)} µs CPU/request${run.unexpected.length > 0 ? `, unexpected statuses ${JSON.stringify(run.statuses)}` : ""}`);
    }
  }
  summarizeRounds(results.throughput);

  log(`latency, one request at a time, ${settings.latencySeconds} s`);
  results.latency = (await call(loader, { mode: "latency", targets: measured, durationMs: settings.latencySeconds * 1000 }, { timeoutMs: settings.latencySeconds * 1000 + 30_000 })).result;

  // Fast ones first: the chunked transfers through the gateway are the slow ones,
  // and each transfer gets at most what is left of the time limit.
  results.transfers = [];
  const transfers = [];
  for (const length of [true, false]) {
    for (const [through, { base, pid }] of [["bare Worker", targets.bare], ["gateway", targets.gateway]]) {
      for (const direction of ["download", "upload"]) transfers.push({ direction, length, through, base, pid });
    }
  }
  for (const t of transfers) {
    const left = TIME_LIMIT_MS - (Date.now() - startedAt) - 10_000;
    const timeoutMs = Math.min(TRANSFER_LIMIT_MS, Math.max(1_000, left));
    log(`${t.direction} of ${settings.transferBytes / MiB} MiB, ${t.length ? "Content-Length" : "chunked"}, through the ${t.through}`);
    const row = await transfer(loader, { ...t, timeoutMs });
    results.transfers.push(row);
    log(`  ${row.ok ? `${row.mbps.toFixed(0)} MB/s` : `FAILED: ${row.error}`}, workerd RSS ${(row.rssBefore / MiB).toFixed(1)} → peak ${(row.peakRss / MiB).toFixed(1)} MiB`);
  }

  results.machine.loadavg_at_end = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  results.targets = evaluateTargets(results);
  const dir = new URL("../../bench/", import.meta.url);
  writeResults(dir, results);
  console.log(`\n${renderMarkdown(results)}`);
  log(`written to bench/results.md and bench/results.json`);
  return results.targets.every((t) => t.ok !== false);
}

try {
  const allPass = await main();
  process.exitCode = allPass ? 0 : 1;
} catch (error) {
  console.error("[bench] failed:", error instanceof Error ? error.stack : error);
  process.exitCode = 2;
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
