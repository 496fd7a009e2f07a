// The load generator, in its own process so that it shares no event loop with
// the origin or the orchestrator. Forked by index.mjs; takes one job per
// message and answers with its result. Plain node:http with keep-alive
// connections: no dependencies, and the same client for every target.
//
// Jobs:
//   { mode: "throughput", url, headers, expect, concurrency, warmupMs, durationMs }
//       `concurrency` connections, each sending its next request as soon as the
//       previous response ended; sends { phase: "measuring" } when the measured
//       window opens, then the result.
//   { mode: "latency", targets: [{ name, url, headers }], durationMs }
//       one request at a time, the targets in turn (the same machine state for all).
//   { mode: "upload", url, bytes, length, timeoutMs }
//       a POST of `bytes` bytes, chunked, or with a Content-Length if `length`
//   { mode: "download", url, timeoutMs }  a GET whose body is counted and dropped
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

const CHUNK = Buffer.alloc(64 * 1024, 0x62);

/** Latencies in milliseconds, unbounded in count (a few hundred thousand at most per phase). */
class Samples {
  #values = new Float64Array(1 << 16);
  #n = 0;
  add(ms) {
    if (this.#n === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#n++] = ms;
  }
  summary() {
    const sorted = this.#values.slice(0, this.#n).sort();
    const at = (p) => (this.#n === 0 ? NaN : sorted[Math.min(this.#n - 1, Math.floor((p / 100) * this.#n))]);
    return { n: this.#n, p50: at(50), p90: at(90), p99: at(99), max: at(100) };
  }
}

function send(agent, url, { method = "GET", headers = {} } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(url, { agent, method, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, ms: performance.now() - started }));
      res.on("error", (error) => resolve({ status: `error:${error.code ?? error.message}`, ms: performance.now() - started }));
    });
    req.on("error", (error) => resolve({ status: `error:${error.code ?? error.message}`, ms: performance.now() - started }));
    req.end();
  });
}

async function throughput({ url, headers, concurrency, warmupMs, durationMs }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, keepAliveMsecs: 1000 });
  const samples = new Samples();
  const statuses = {};
  let phase = "warmup";
  let measuredFrom = 0;
  let measuredTo = 0;
  const startedAt = performance.now();
  const worker = async () => {
    for (;;) {
      const now = performance.now();
      if (phase === "warmup" && now - startedAt >= warmupMs) {
        phase = "measuring";
        measuredFrom = now;
        process.send({ phase: "measuring" });
      }
      if (phase === "measuring" && now - measuredFrom >= durationMs) {
        if (measuredTo === 0) measuredTo = now;
        return;
      }
      const inWindow = phase === "measuring";
      const { status, ms } = await send(agent, url, { headers });
      // A request counts if it was sent inside the window, even if it ends just after it.
      if (inWindow) {
        samples.add(ms);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - measuredFrom) / 1000;
  agent.destroy();
  const summary = samples.summary();
  return { requests: summary.n, seconds, rps: summary.n / seconds, ...summary, statuses };
}

async function latency({ targets, durationMs }) {
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const samples = targets.map(() => new Samples());
  const statuses = targets.map(() => ({}));
  // Warm every connection first; its first request pays for the TCP handshake.
  for (const [i, t] of targets.entries()) for (let k = 0; k < 20; k++) await send(agents[i], t.url, { headers: t.headers });
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    for (const [i, t] of targets.entries()) {
      const { status, ms } = await send(agents[i], t.url, { headers: t.headers });
      samples[i].add(ms);
      statuses[i][status] = (statuses[i][status] ?? 0) + 1;
    }
  }
  for (const agent of agents) agent.destroy();
  return Object.fromEntries(targets.map((t, i) => [t.name, { ...samples[i].summary(), statuses: statuses[i] }]));
}

function upload({ url, bytes, length, timeoutMs }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const headers = { "content-type": "application/octet-stream", ...(length ? { "content-length": String(bytes) } : {}) };
    const req = request(url, { method: "POST", agent: false, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8").slice(0, 500), seconds: (performance.now() - started) / 1000 }));
    });
    const deadline = setTimeout(() => req.destroy(new Error(`upload did not finish within ${timeoutMs} ms`)), timeoutMs);
    req.on("close", () => clearTimeout(deadline));
    req.on("error", (error) => resolve({ status: 0, error: error.message, seconds: (performance.now() - started) / 1000 }));
    let sent = 0;
    const write = () => {
      while (sent < bytes && !req.destroyed) {
        const chunk = bytes - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, bytes - sent);
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

function download({ url, timeoutMs }) {
  return new Promise((resolve) => {
    const started = performance.now();
    let bytes = 0;
    const req = request(url, { agent: false, headers: { "accept-encoding": "identity" } }, (res) => {
      res.on("data", (c) => (bytes += c.length));
      res.on("end", () => resolve({ status: res.statusCode, bytes, seconds: (performance.now() - started) / 1000 }));
      res.on("error", (error) => resolve({ status: res.statusCode, bytes, error: error.message, seconds: (performance.now() - started) / 1000 }));
    });
    const deadline = setTimeout(() => req.destroy(new Error(`download did not finish within ${timeoutMs} ms`)), timeoutMs);
    req.on("close", () => clearTimeout(deadline));
    req.on("error", (error) => resolve({ status: 0, bytes, error: error.message, seconds: (performance.now() - started) / 1000 }));
    req.end();
  });
}

const MODES = { throughput, latency, upload, download };

process.on("message", async (job) => {
  try {
    process.send({ result: await MODES[job.mode](job) });
  } catch (error) {
    process.send({ error: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
process.on("disconnect", () => process.exit(0));
