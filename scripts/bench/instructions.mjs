// CPU instructions per request, counted by callgrind: the steady measure.
//
//   npm run bench:instructions            (needs valgrind: apt-get install -y valgrind)
//
// `npm run bench` measures throughput on a machine whose load generator, origin
// and workerd share two cores, so its ratios swing by ±10 % between runs. An
// instruction count does not depend on what else the machine is doing: each
// scenario gets a fresh workerd under callgrind, its request path is warmed up,
// the counters are zeroed, REQUESTS requests are sent four at a time, and the
// instructions the whole workerd process executed (HTTP in and out, the
// Worker's JavaScript, the Durable Object in the same process) are divided by
// their number. Same scenarios, configuration and origin as `npm run bench`
// (scripts/bench/scenarios.mjs, worker-server.mjs, origin-server.mjs).
//
// Loopback only; each workerd is stopped after its scenario; the whole run stops
// itself after 10 minutes.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { call, start, stopAll } from "./children.mjs";
import { honoPeer } from "./hono-peer.mjs";
import { credentials, detectFeatures, gatewayConfig, scenarios } from "./scenarios.mjs";
import { BARE_WORKER, REFERENCE_WORKER } from "./worker-server.mjs";

const REQUESTS = 1000;
const WARMUP = 200;
const CONCURRENCY = 4;
const ROOT = new URL("../../", import.meta.url).pathname;

const watchdog = setTimeout(() => {
  console.error("[instructions] over the 10 minute limit: stopping");
  void stopAll().finally(() => process.exit(2));
}, 600_000);

try {
  execFileSync("valgrind", ["--version"], { stdio: "ignore" });
} catch {
  console.error("[instructions] valgrind is not installed (apt-get install -y valgrind)");
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), "portcullis-instructions-"));
const out = join(tmp, "callgrind");
// Miniflare starts the binary named by MINIFLARE_WORKERD_PATH: workerd under callgrind.
const wrapper = join(tmp, "workerd.sh");
writeFileSync(
  wrapper,
  `#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=${out}.%p --dump-instr=no --dump-line=no ${join(ROOT, "node_modules/@cloudflare/workerd-linux-64/bin/workerd")} "$@"\n`,
);
chmodSync(wrapper, 0o755);
process.env.MINIFLARE_WORKERD_PATH = wrapper;

execFileSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", join(tmp, "bundle")], {
  cwd: ROOT,
  stdio: "ignore",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
const hono = await honoPeer();

const creds = await credentials();
const origin = start("./origin-server.mjs", { BENCH_JWKS: JSON.stringify(creds.jwks) });
const { url: originUrl } = await call(origin, undefined, { timeoutMs: 10_000 });
const features = detectFeatures();
const portcullis = gatewayConfig({ originUrl, digest: creds.digest, features, transferBytes: 1024 });
const DO = { RATE_LIMITER: { className: "RateLimiter", useSQLite: true } };
const workers = {
  bare: { modules: [{ type: "ESModule", path: "w.mjs", contents: BARE_WORKER }], bindings: { ORIGIN: originUrl } },
  reference: { modules: [{ type: "ESModule", path: "w.mjs", contents: REFERENCE_WORKER }], bindings: { ORIGIN: originUrl } },
  hono: { modules: [{ type: "ESModule", path: "w.mjs", contents: hono }], bindings: { ORIGIN: originUrl, TOKEN: creds.honoToken } },
  gateway: {
    modules: true,
    scriptPath: join(tmp, "bundle/index.js"),
    modulesRoot: join(tmp, "bundle"),
    modulesRules: [{ type: "Text", include: ["**/*.txt"] }],
    bindings: { ORIGIN_URL: originUrl, PORTCULLIS: portcullis },
  },
};
// The service-binding rows need a second Worker in the same process; left to `npm run bench`.
const wanted = scenarios(creds).filter((s) => s.target in workers && !["plain-floor", "service"].includes(s.id) && (s.requires ?? []).every((f) => features[f]));

function send(url, scenario, agent) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(scenario.path, url), { agent, headers: scenario.headers ?? {} }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === scenario.expect ? resolve() : reject(new Error(`${scenario.id}: status ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end();
  });
}

async function burst(url, scenario, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let left = count;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (left-- > 0) await send(url, scenario, agent);
  }));
  agent.destroy();
}

/** Asks callgrind to zero its counters (-z) or dump them (-d), and waits until it has. */
function control(flag) {
  execFileSync("callgrind_control", [flag], { stdio: "ignore", timeout: 30_000 });
}

function lastDumpTotal() {
  const files = readdirSync(tmp).filter((f) => f.startsWith("callgrind.")).map((f) => join(tmp, f));
  let newest = { n: -1, total: 0 };
  for (const file of files) {
    const n = Number(/\.(\d+)$/.exec(file)?.[1] ?? 0);
    const total = /^(?:summary|totals): (\d+)/m.exec(readFileSync(file, "utf8"));
    if (total && n > newest.n) newest = { n, total: Number(total[1]) };
  }
  return newest.total;
}

const rows = [];
for (const scenario of wanted) {
  // A fresh process per scenario: each one's count holds its own garbage collection, not another's.
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    handleRuntimeStdio: (stdout, stderr) => {
      stdout.resume();
      stderr.resume();
    },
    workers: [{ name: "w", compatibilityDate: "2026-08-01", durableObjects: DO, unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }], ...workers[scenario.target] }],
  });
  try {
    await mf.ready;
    const url = await mf.unsafeGetDirectURL("w");
    await burst(url, scenario, WARMUP);
    control("-z");
    await burst(url, scenario, REQUESTS);
    control("-d");
    const perRequest = lastDumpTotal() / REQUESTS;
    rows.push({ id: scenario.id, label: scenario.label, baseline: scenario.baseline, also: scenario.also, perRequest });
    console.error(`[instructions] ${scenario.id}: ${(perRequest / 1e6).toFixed(3)} M`);
  } finally {
    await mf.dispose();
    for (const f of readdirSync(tmp).filter((f) => f.startsWith("callgrind."))) rmSync(join(tmp, f));
  }
}

const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
const ratio = (row, other) => (other === undefined || byId[other] === undefined ? "" : `${(byId[other].perRequest / row.perRequest).toFixed(2)}× ${other}`);
console.log(`\nInstructions per request (callgrind, whole workerd process, ${REQUESTS} requests after ${WARMUP} warm-up, ${CONCURRENCY} at a time)\n`);
console.log("| scenario | M instructions / request | as fast as (by instructions) | also |");
console.log("| --- | --- | --- | --- |");
for (const row of rows) console.log(`| ${row.label} | ${(row.perRequest / 1e6).toFixed(3)} | ${ratio(row, row.baseline)} | ${ratio(row, row.also)} |`);

clearTimeout(watchdog);
await stopAll();
rmSync(tmp, { recursive: true, force: true });
process.exit(0);
