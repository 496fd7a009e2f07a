// Turns the benchmark's measurements into tables: printed, and written to
// bench/results.md (with the machine description) and bench/results.json.
import { mkdirSync, writeFileSync } from "node:fs";

/**
 * The targets (issue 12), each a ratio of one scenario's throughput to
 * another's in the same round, or a bound on one number.
 */
export const TARGETS = {
  ratios: [
    { id: "plain", of: "bare", min: 0.8, what: "plain proxy" },
    { id: "plain", of: "hono", min: 1.0, what: "plain proxy vs the hand-written Hono gateway" },
    { id: "limits", of: "bare", min: 0.75, what: "API key + limits" },
    { id: "full-leased", of: "bare", min: 0.7, what: "API key + rate limit with a lease, zero failed or hung requests" },
    { id: "full", of: "floor-object", min: 0.85, what: "API key + rate limit without a lease vs the one-Durable-Object-call floor" },
    { id: "jwt", of: "bare", min: 0.7, what: "JWT (ES256 via JWKS)" },
    { id: "error", of: "bare-error", min: 0.7, what: "origin 404 normalized" },
  ],
  addedP99Ms: { plain: 0.3, full: 0.5 },
  coldStartAddedMs: 20,
  memoryGrowthBytes: 32 * 1024 * 1024,
  bundleGzipBytes: 100 * 1024,
};

const MiB = 1024 * 1024;
const ms = (v) => (Number.isFinite(v) ? v.toFixed(2) : "–");
const signedMs = (v) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(2)}` : "–");
const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "–");
const ratioText = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : "–");
const mib = (v) => (Number.isFinite(v) ? `${(v / MiB).toFixed(1)} MiB` : "–");
const kib = (v) => (Number.isFinite(v) ? `${(v / 1024).toFixed(1)} KiB` : "–");
const verdict = (ok) => (ok === undefined ? "–" : ok ? "PASS" : "FAIL");

function table(header, rows) {
  const lines = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

/** Evaluates the targets; each is { name, measured, ok } (ok undefined when it could not be measured). */
export function evaluateTargets(results) {
  const byId = Object.fromEntries(results.throughput.map((s) => [s.id, s]));
  const out = [];
  for (const t of TARGETS.ratios) {
    const row = byId[t.id];
    const ratio = row?.ratios?.[t.of];
    const clean = row?.unexpected === undefined || row.unexpected.length === 0;
    const cpu = row?.workerdCpuMicros;
    const baseCpu = byId[t.of]?.workerdCpuMicros;
    out.push({
      name: `${t.what}: >= ${t.min.toFixed(2)}× ${byId[t.of]?.label ?? t.of}`,
      measured:
        ratio === undefined
          ? (row?.skipped ?? "not measured")
          : `${ratioText(ratio)} (median of ${row.runs.length} rounds; workerd CPU per request ${int(cpu)} vs ${int(baseCpu)} µs)${clean ? "" : `; unexpected statuses ${JSON.stringify(row.statuses)}`}`,
      ok: ratio === undefined ? undefined : ratio >= t.min && clean,
    });
  }
  for (const [id, bound] of Object.entries(TARGETS.addedP99Ms)) {
    const lat = results.latency?.[id];
    const baseId = byId[id]?.baseline;
    const base = baseId === undefined ? undefined : results.latency?.[baseId];
    const added = lat !== undefined && base !== undefined ? lat.p99 - base.p99 : undefined;
    out.push({
      name: `added p99 latency one request at a time, ${byId[id]?.label ?? id}: <= ${bound} ms`,
      measured: added === undefined ? "not measured" : `${signedMs(added)} ms (p99 ${ms(lat.p99)} vs ${ms(base.p99)} ms)`,
      ok: added === undefined ? undefined : added <= bound,
    });
  }
  const cs = results.coldStart;
  const coldAdded = cs === undefined ? undefined : cs.gateway.firstResponseMs - cs.bare.firstResponseMs;
  out.push({
    name: `cold start: <= +${TARGETS.coldStartAddedMs} ms over the bare Worker`,
    measured: coldAdded === undefined ? "not measured" : `${signedMs(coldAdded)} ms (first response ${ms(cs.gateway.firstResponseMs)} vs ${ms(cs.bare.firstResponseMs)} ms)`,
    ok: coldAdded === undefined ? undefined : coldAdded <= TARGETS.coldStartAddedMs,
  });
  const transfers = results.transfers.filter((t) => t.through === "gateway");
  const worst = transfers.reduce((a, t) => (a === undefined || t.growthBytes > a.growthBytes ? t : a), undefined);
  const growth = worst?.growthBytes;
  const transfersOk = transfers.length > 0 && transfers.every((t) => t.ok);
  out.push({
    name: `runtime memory growth over the streamed transfers, < ${TARGETS.memoryGrowthBytes / MiB} MiB`,
    measured: growth === undefined ? "not measured" : `${mib(growth)} at most (${worst.direction})${transfersOk ? "" : "; a transfer failed"}`,
    ok: growth === undefined ? undefined : growth < TARGETS.memoryGrowthBytes && transfersOk,
  });
  out.push({
    name: `bundle size, gzip, <= ${TARGETS.bundleGzipBytes / 1024} KiB`,
    measured: `${kib(results.bundle.gzipBytes)} (${kib(results.bundle.rawBytes)} raw)`,
    ok: results.bundle.gzipBytes <= TARGETS.bundleGzipBytes,
  });
  return out;
}

export function renderMarkdown(results) {
  const { machine: m, settings: s } = results;
  const byId = Object.fromEntries(results.throughput.map((r) => [r.id, r]));
  const out = [];
  out.push(`# Portcullis benchmark results`, "");
  out.push(`Run ${results.date} with \`npm run bench\`. Everything on 127.0.0.1; see docs/benchmarks.md for what is measured and how.`, "");
  out.push("## Machine", "");
  out.push(
    table(
      ["", ""],
      [
        ["CPUs (nproc)", String(m.nproc)],
        ["CPU model", m.cpu],
        ["memory", `${m.memory_gib} GiB`],
        ["kernel", m.kernel],
        ["load average at start / end", `${m.loadavg_at_start} / ${m.loadavg_at_end ?? "–"}`],
        ["node", m.node],
        ["workerd", m.workerd],
        ["miniflare", m.miniflare],
        ["Durable Object storage", m.object_storage ?? "–"],
        ["features in the tree", Object.entries(results.features).map(([k, v]) => `${k} ${v ? "yes" : "no"}`).join(", ")],
      ],
    ),
    "",
  );

  out.push("## Targets", "");
  out.push(table(["target", "measured", "result"], results.targets.map((t) => [t.name, t.measured, verdict(t.ok)])), "");

  out.push(`## Throughput (${s.concurrency} concurrent keep-alive connections, ${s.durationSeconds} s per scenario after ${s.warmupSeconds} s warm-up, median of ${s.rounds} rounds)`, "");
  out.push(
    table(
      ["scenario", "req/s", "p50 ms", "p99 ms", "vs its baseline", "also vs", "workerd CPU µs/req", "added CPU µs/req", "statuses"],
      results.throughput.map((r) => {
        if (r.skipped) return [r.label, r.skipped, "", "", "", "", "", "", ""];
        const base = r.baseline === undefined ? undefined : byId[r.baseline];
        const also = r.also === undefined ? undefined : r.ratios?.[r.also];
        return [
          r.label,
          int(r.rps),
          ms(r.p50),
          ms(r.p99),
          r.baseline === undefined ? "" : `${ratioText(r.ratios?.[r.baseline])} ${base?.id ?? ""}`,
          also === undefined ? "" : `${ratioText(also)} ${r.also}`,
          r.target === "origin" ? "" : int(r.workerdCpuMicros),
          base?.workerdCpuMicros === undefined ? "" : `${r.workerdCpuMicros >= base.workerdCpuMicros ? "+" : ""}${int(r.workerdCpuMicros - base.workerdCpuMicros)}`,
          Object.entries(r.statuses).map(([k, v]) => `${k}×${v}`).join(" "),
        ];
      }),
    ),
    "",
  );
  out.push(
    "Under saturation latency is queueing (concurrency ÷ throughput), so the added p99 above mostly restates the throughput gap; the next table measures what the gateway adds to one request.",
    "",
  );

  if (results.latency !== undefined) {
    out.push(`## Latency, one request at a time (${s.latencySeconds} s, the targets in turn)`, "");
    const lat = results.latency;
    out.push(
      table(
        ["target", "requests", "p50 ms", "p99 ms", "added p50 ms", "added p99 ms"],
        Object.entries(lat).map(([id, r]) => {
          const baseId = byId[id]?.baseline;
          const base = baseId === undefined ? undefined : lat[baseId];
          return [byId[id]?.label ?? id, int(r.n), ms(r.p50), ms(r.p99), base ? signedMs(r.p50 - base.p50) : "", base ? signedMs(r.p99 - base.p99) : ""];
        }),
      ),
      "",
    );
  }

  out.push("## Streaming (memory of the workerd process that carries the transfer)", "");
  out.push(
    table(
      ["transfer", "through", "seconds", "MB/s", "RSS before", "peak RSS", "growth", "result"],
      results.transfers.map((t) => [
        t.direction,
        t.through,
        ms(t.seconds),
        Number.isFinite(t.mbps) ? t.mbps.toFixed(0) : "–",
        mib(t.rssBefore),
        mib(t.peakRss),
        mib(t.growthBytes),
        t.ok ? "ok" : `FAILED: ${t.error ?? ""}`,
      ]),
    ),
    "",
  );
  out.push(`Peak RSS from ${results.transfers[0]?.peakFrom ?? "–"}.`, "");

  out.push(`## Cold start (median of ${s.coldStarts}: new Miniflare → workerd ready → first response through to the origin)`, "");
  const cs = results.coldStart;
  out.push(
    table(
      ["Worker", "ready ms", "first response ms", "first request alone ms"],
      ["bare", "gateway"].map((k) => [k, ms(cs[k].readyMs), ms(cs[k].firstResponseMs), ms(cs[k].firstResponseMs - cs[k].readyMs)]),
    ),
    "",
  );
  out.push(`The gateway's cold start costs ${signedMs(cs.gateway.firstResponseMs - cs.bare.firstResponseMs)} ms more than the bare Worker's (bundle parse and compile, configuration parsed on the first request).`, "");

  out.push("## Bundle", "");
  out.push(`\`wrangler deploy --dry-run\`: ${kib(results.bundle.rawBytes)} raw, **${kib(results.bundle.gzipBytes)} gzip** (wrangler says: ${results.bundle.wranglerSays ?? "–"}).`, "");
  return out.join("\n");
}

export function writeResults(dir, results) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL("results.json", dir), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(new URL("results.md", dir), `${renderMarkdown(results)}\n`);
}
