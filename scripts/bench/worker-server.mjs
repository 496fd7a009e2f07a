// Runs one Worker in workerd (Miniflare 4, the Worker on its own direct socket,
// no entry worker in front), in its own process: the gateway bundle, or a bare
// pass-through Worker to compare it with. Forked by index.mjs.
//
// In:  { kind: "gateway", bundlePath, origin, portcullis, bindings, workers, serviceBindings } (through run-gateway.mjs),
//      { kind: "bare-service" } (a bare Worker passing every request to BACKEND_WORKER through a service binding),
//      { kind: "reference", origin } (REFERENCE_WORKER: floors, see below),
//      { kind: "module", contents, bindings } (any other Worker, e.g. the hand-written Hono peer),
//      { kind: "gateway-module", ... } (the same bundle handed over as module
//      contents, exactly as the bare Worker is, for cold starts), or { kind: "bare", origin }
// Out: { url, pid, readyMs, firstResponseMs, firstStatus }: pid is the workerd
//      process (the one whose CPU time and memory are the Worker's), readyMs
//      the time from creating Miniflare to its socket being ready,
//      firstResponseMs the time from creating Miniflare to the first response.
// Disconnecting disposes Miniflare (which stops workerd) and exits.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { request } from "node:http";
import { performance } from "node:perf_hooks";
import { Miniflare } from "miniflare";
import { parse } from "smol-toml";
import { runGateway } from "../run-gateway.mjs";
import { childrenNamed } from "./proc.mjs";

// The comparison point: everything a Worker in front of an origin must do at
// least. It exports an (unused) RateLimiter class only so that it can have the
// gateway's bindings: the same runtime configuration, so that cold starts differ
// by the bundle alone.
export const BARE_WORKER = `
import { DurableObject } from "cloudflare:workers";
export class RateLimiter extends DurableObject {}
export default {
  fetch(req, env) {
    const u = new URL(req.url);
    return fetch(env.ORIGIN + u.pathname + u.search, req);
  },
};
`;

// A Worker bound as a service (the gateway's service-binding upstream, and the
// bare Worker's binding it is compared with): it answers as the origin does
// for /users/1, in the same workerd, so no network hop is measured.
const BACKEND_BODY = JSON.stringify({ id: "1", name: "Ada Lovelace", email: "ada@example.com" });
export const BACKEND_WORKER = `
const BODY = ${JSON.stringify(BACKEND_BODY)};
export default {
  fetch() {
    return new Response(BODY, { headers: { "content-type": "application/json" } });
  },
};
`;
export const BACKEND = { workers: [{ name: "backend", script: BACKEND_WORKER }], serviceBindings: { BACKEND: "backend" } };

// The least a Worker in front of a service can do: hand the request to the binding.
const BARE_SERVICE_WORKER = `
import { DurableObject } from "cloudflare:workers";
export class RateLimiter extends DurableObject {}
export default {
  fetch(req, env) {
    return env.BACKEND.fetch(req);
  },
};
`;

/**
 * One module Worker with the gateway's compatibility date, flags and bindings
 * (wrangler.toml): only the module differs between the bare Worker and the
 * bundle. `extra`: more Workers in the same workerd and the service bindings to them.
 */
async function startModule(contents, bindings, extra = { workers: [], serviceBindings: {} }, extraModules = []) {
  const wrangler = parse(readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8"));
  const mf = new Miniflare({
    workers: [
      {
        name: "worker",
        modules: [{ type: "ESModule", path: "worker.mjs", contents }, ...extraModules],
        compatibilityDate: String(wrangler.compatibility_date),
        compatibilityFlags: wrangler.compatibility_flags ?? [],
        bindings,
        durableObjects: Object.fromEntries((wrangler.durable_objects?.bindings ?? []).map((b) => [b.name, { className: b.class_name, useSQLite: true }])),
        kvNamespaces: (wrangler.kv_namespaces ?? []).map((ns) => ns.binding),
        serviceBindings: extra.serviceBindings,
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      },
      ...extra.workers.map((worker) => ({ modules: true, compatibilityDate: String(wrangler.compatibility_date), ...worker })),
    ],
    host: "127.0.0.1",
    port: 0,
    cf: { colo: "LOCAL", country: "XX" },
  });
  await mf.ready;
  return { url: await mf.unsafeGetDirectURL("worker"), mf };
}

// Floors: a bare Worker that adds exactly what every correct gateway must do
// per request, to show what that costs on its own in this runtime.
// /log/… writes one JSON log line shaped like the gateway's; /object/… makes
// one RPC to a Durable Object that decides nothing (a rate-limited request's
// one round trip, without the limiter's work); /proxy/… does a reverse proxy's
// mandatory work and nothing else: a request id and trace context, hop-by-hop
// fields stripped both ways (RFC 9110 §7.6.1), Via and the forwarding headers
// set, the id on the answer, one log line; /problem/… the same, and an error
// answered as problem details read from the one shape the bench origin sends.
export const REFERENCE_WORKER = `
import { DurableObject } from "cloudflare:workers";
export class RateLimiter extends DurableObject {
  check() { return { granted: 1 }; }
}
const HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"]);
function strip(source, out) {
  for (const name of source.keys()) if (HOP.has(name)) out.delete(name);
}
async function proxy(req, env, target, started, problem) {
  const id = crypto.randomUUID();
  const trace = crypto.getRandomValues(new Uint8Array(24));
  let hex = "";
  for (const b of trace) hex += b.toString(16).padStart(2, "0");
  const headers = new Headers(req.headers);
  strip(req.headers, headers);
  headers.set("x-forwarded-for", req.headers.get("cf-connecting-ip") ?? "127.0.0.1");
  headers.set("x-forwarded-proto", "http");
  headers.set("x-forwarded-host", "gateway");
  headers.set("forwarded", "for=127.0.0.1;proto=http;host=gateway");
  headers.set("via", "1.1 reference");
  headers.set("x-request-id", id);
  headers.set("traceparent", "00-" + hex.slice(0, 32) + "-" + hex.slice(32) + "-01");
  const upstream = await fetch(env.ORIGIN + target, { method: req.method, headers, body: req.body, redirect: "manual" });
  if (problem && upstream.status >= 400) return problemOf(upstream, id, target, started);
  const res = new Response(upstream.body, upstream);
  strip(upstream.headers, res.headers);
  res.headers.set("via", "1.1 reference");
  res.headers.set("x-request-id", id);
  console.log(JSON.stringify({ level: "info", request_id: id, method: req.method, path: target, route: "plain", origin_status: upstream.status, status: res.status, duration_ms: Date.now() - started }));
  return res;
}
// The least a normalizing gateway does with an error: read the body, parse it,
// take the one message and code of the one shape it knows, answer problem+json.
async function problemOf(upstream, id, target, started) {
  const text = await upstream.text();
  let said;
  try { said = JSON.parse(text); } catch {}
  const error = said?.error ?? {};
  const body = JSON.stringify({ type: "about:blank", title: "Not Found", status: upstream.status, detail: typeof error.message === "string" ? error.message : undefined, instance: target, request_id: id, code: typeof error.code === "string" ? error.code : undefined });
  console.log(JSON.stringify({ level: "warn", request_id: id, path: target, route: "plain", origin_status: upstream.status, status: upstream.status, duration_ms: Date.now() - started }));
  return new Response(body, { status: upstream.status, headers: { "content-type": "application/problem+json", via: "1.1 reference", "x-request-id": id } });
}
export default {
  async fetch(req, env) {
    const started = Date.now();
    const u = new URL(req.url);
    const mode = u.pathname.slice(1, u.pathname.indexOf("/", 1));
    const target = u.pathname.slice(mode.length + 1) + u.search;
    if (mode === "proxy" || mode === "problem") return proxy(req, env, target, started, mode === "problem");
    if (mode === "object") await env.RATE_LIMITER.getByName("reference").check();
    const res = await fetch(env.ORIGIN + target, req);
    if (mode === "log") {
      console.log(JSON.stringify({ level: "info", request_id: crypto.randomUUID(), method: req.method, path: u.pathname, route: "plain", origin_status: res.status, status: res.status, duration_ms: Date.now() - started }));
    }
    return res;
  },
};
`;

function start(job) {
  switch (job.kind) {
    case "gateway":
      // Objects on tmpfs, as on Cloudflare they write to memory (see run-gateway.mjs).
      return runGateway({
        bundlePath: job.bundlePath,
        vars: { ORIGIN_URL: job.origin, PORTCULLIS: job.portcullis },
        bindings: job.bindings ?? {},
        ...(job.serviceBackend ? BACKEND : {}),
        direct: true,
        storage: job.storage ?? "memory",
      });
    case "gateway-module": {
      // The bundle and the text modules wrangler wrote beside it (wrangler.toml, as *.txt).
      const dir = dirname(job.bundlePath);
      const text = readdirSync(dir).filter((f) => f.endsWith(".txt")).map((f) => ({ type: "Text", path: f, contents: readFileSync(join(dir, f), "utf8") }));
      return startModule(readFileSync(job.bundlePath, "utf8"), { ORIGIN_URL: job.origin, PORTCULLIS: job.portcullis, ...job.bindings }, undefined, text);
    }
    case "bare-service":
      return startModule(BARE_SERVICE_WORKER, {}, BACKEND);
    case "reference":
      return startModule(REFERENCE_WORKER, { ORIGIN: job.origin });
    case "module":
      return startModule(job.contents, job.bindings);
    default:
      return startModule(BARE_WORKER, { ORIGIN: job.origin });
  }
}

function firstRequest(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("first request timed out")));
    req.end();
  });
}

process.once("message", async (job) => {
  try {
    const started = performance.now();
    const { url, mf, dispose = () => mf.dispose() } = await start(job);
    const readyMs = performance.now() - started;
    const firstStatus = await firstRequest(new URL(job.firstPath ?? "/", url));
    const firstResponseMs = performance.now() - started;
    const pids = childrenNamed(process.pid, "workerd");
    if (pids.length !== 1) throw new Error(`expected one workerd child process, found ${pids.length}`);
    process.on("disconnect", () => {
      void dispose().finally(() => process.exit(0));
    });
    process.send({ url: url.origin, pid: pids[0], readyMs, firstResponseMs, firstStatus });
  } catch (error) {
    process.send({ error: error instanceof Error ? error.stack ?? error.message : String(error) });
    process.exit(1);
  }
});
