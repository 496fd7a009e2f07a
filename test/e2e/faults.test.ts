// Origin and Durable Object faults against the real bundled gateway in
// workerd. origin-faults.test.ts covers the basics (no answer → 504; reset,
// garbage, nothing listening → 502); this file covers faults after the
// response headers, more kinds of broken responses, huge error bodies, and a
// rate limiter that throws or hangs. After every fault the gateway must still serve.
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { dirname } from "node:path";
import { parse } from "smol-toml";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest, problemOf } from "./http-client";

const KiB = 1024;
const MiB = 1024 * KiB;
let origin: RunningOrigin;
let gateway: RunningGateway;
let bigErrorBytesWritten = 0;

/** Raw answers, written straight to the socket: what an HTTP server library would refuse to send. */
const RAW: Record<string, string> = {
  "/conflicting-length": "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
  "/invalid-header-name": "HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 2\r\n\r\nok",
  "/not-http": "SSH-2.0-OpenSSH_9.6\r\n",
  "/http-0.9": "just a body, no status line\n",
};

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    const socket: Socket = req.socket;
    const raw = RAW[req.url ?? ""];
    if (raw !== undefined) return void socket.end(raw);
    switch (req.url) {
      case "/stall-then-die/length":
        // Headers and the first KiB at once, then nothing, then the connection dies.
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": 100 * KiB });
        res.write(Buffer.alloc(KiB, 0x61));
        return void setTimeout(() => socket.destroy(), 600);
      case "/stall-then-die/chunked":
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.write(Buffer.alloc(KiB, 0x61));
        return void setTimeout(() => socket.destroy(), 600);
      case "/reset-mid-body/length":
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": MiB });
        return void res.write(Buffer.alloc(64 * KiB, 0x62), () => socket.resetAndDestroy());
      case "/reset-mid-body/chunked":
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return void res.write(Buffer.alloc(64 * KiB, 0x62), () => socket.resetAndDestroy());
      case "/close-without-answer":
        // A clean FIN after reading the request, and not one byte of response.
        return void socket.end();
      case "/status-600":
        return void socket.end("HTTP/1.1 600 Beyond\r\nContent-Length: 2\r\n\r\nok");
      case "/early-hints":
        socket.write("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n");
        return void setTimeout(() => res.end("the final answer"), 20);
      case "/10mib-error": {
        // A 10 MiB JSON error with a declared length, written as fast as the gateway takes it.
        const head = Buffer.from('{"error":{"code":"TooMuch","message":"');
        const tail = Buffer.from('"}}');
        const chunk = Buffer.alloc(64 * KiB, 0x78);
        res.writeHead(422, { "content-type": "application/json", "content-length": head.length + 10 * MiB + tail.length });
        res.write(head);
        res.on("error", () => {});
        bigErrorBytesWritten = 0;
        const write = (): void => {
          while (bigErrorBytesWritten < 10 * MiB) {
            bigErrorBytesWritten += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", write);
          }
          res.end(tail);
        };
        return write();
      }
      default:
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("alive");
    }
  });
  gateway = await startGateway(origin.url, { defaults: { timeout_ms: 1000 } });
});

afterAll(async () => {
  await gateway?.dispose();
  await origin?.close();
});

afterEach(async () => {
  const res = await httpRequest(`${gateway.url}/still-serving`);
  expect(res.status).toBe(200);
  expect(res.body.toString()).toBe("alive");
});

interface StreamedResponse {
  status: number;
  headers: IncomingMessage["headers"];
  /** Milliseconds from the request to the first body byte. */
  firstByteMs: number;
  bytes: number;
  /** Node's verdict: did the message end as its framing said it would? */
  complete: boolean;
  error?: string;
  totalMs: number;
}

/** A GET that records when the body starts, how much arrives, and how the stream ends. */
function streamedGet(url: string): Promise<StreamedResponse> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = request(url, { agent: false }, (res) => {
      let bytes = 0;
      let firstByteMs = -1;
      let error: string | undefined;
      res.on("data", (chunk: Buffer) => {
        if (firstByteMs < 0) firstByteMs = Date.now() - started;
        bytes += chunk.length;
      });
      res.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
      res.on("close", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, firstByteMs, bytes, complete: res.complete, error, totalMs: Date.now() - started }));
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("no end within 10 s")));
    req.end();
  });
}

describe("faults after the response headers: the status is sent, so the stream is all that can fail", () => {
  it("streams the first bytes at once, then cuts the client's stream when the origin stalls and dies (Content-Length)", async () => {
    const res = await streamedGet(`${gateway.url}/stall-then-die/length`);
    expect(res.status).toBe(200);
    expect(res.firstByteMs).toBeLessThan(500); // not buffered until the stall ends
    expect(res.totalMs).toBeGreaterThanOrEqual(550); // the route's 1 s timeout covers headers only
    expect(res.bytes).toBe(KiB);
    expect(res.complete).toBe(false);
    expect(res.error).toBe("ECONNRESET");
  });

  it("streams the first bytes at once, then ends the client's chunked stream when the origin stalls and dies", async () => {
    const res = await streamedGet(`${gateway.url}/stall-then-die/chunked`);
    expect(res.status).toBe(200);
    expect(res.firstByteMs).toBeLessThan(500);
    expect(res.bytes).toBe(KiB);
    // What workerd does today: a chunked response whose upstream dies is ended
    // with the last-chunk marker, so the client cannot tell it was cut short
    // (docs/benchmarks.md, faults). Asserted so that a change is noticed.
    expect(res.complete).toBe(true);
  });

  it("cuts the client's stream when the origin resets mid-body (Content-Length)", async () => {
    const res = await streamedGet(`${gateway.url}/reset-mid-body/length`);
    expect(res.status).toBe(200);
    expect(res.headers["content-length"]).toBe(String(MiB));
    expect(res.bytes).toBeLessThan(MiB);
    expect(res.complete).toBe(false);
    expect(res.error).toBe("ECONNRESET");
  });

  it("ends the client's chunked stream short when the origin resets mid-body", async () => {
    const res = await streamedGet(`${gateway.url}/reset-mid-body/chunked`);
    expect(res.status).toBe(200);
    expect(res.bytes).toBeLessThanOrEqual(64 * KiB);
    expect(res.complete).toBe(true); // as above: workerd's clean end after an upstream reset
  });
});

describe("faults before the response headers: the gateway answers with a problem", () => {
  it("answers 502 when the origin closes the connection without a response", async () => {
    const res = await httpRequest(`${gateway.url}/close-without-answer`);
    expect(res.status).toBe(502);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(problemOf(res).type).toBe("tag:portcullis.dev,2026:problems/bad-gateway");
  });

  it.each(Object.keys(RAW))("answers 502 to an invalid response (%s) and shows none of it", async (path) => {
    const res = await httpRequest(`${gateway.url}${path}`);
    expect(res.status).toBe(502);
    const problem = problemOf(res);
    expect(problem.type).toBe("tag:portcullis.dev,2026:problems/bad-gateway");
    expect(res.body.toString()).not.toMatch(/hello|Bad Header|SSH|just a body|127\.0\.0\.1/);
  });

  // Response cannot carry a status outside 200-599: the proxy answers 502 for it.
  it("answers 502 to a status code outside 100-599", async () => {
    const res = await httpRequest(`${gateway.url}/status-600`);
    expect(res.status).toBe(502);
  });

  // workerd's fetch() hands an interim 103 to the Worker as if it were the final
  // response, and the real final response is lost to it. RFC 9110 §15.2: a 1xx is
  // never the final answer, so the gateway says it got no valid answer (502)
  // rather than relaying an interim one (a documented limitation).
  it("answers 502, not an interim response, when the origin sends 103 Early Hints first", async () => {
    const res = await httpRequest(`${gateway.url}/early-hints`);
    expect(res.status).toBe(502);
    expect(problemOf(res).type).toBe("tag:portcullis.dev,2026:problems/bad-gateway");
  });
});

describe("a 10 MiB error body", () => {
  it("becomes a small problem with the origin's status, fast, without reading the body", async () => {
    const started = Date.now();
    const res = await httpRequest(`${gateway.url}/10mib-error`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(res.body.length).toBeLessThan(2 * KiB);
    const problem = problemOf(res);
    expect(problem).toMatchObject({ status: 422, code: "TooMuch" });
    expect(String(problem.detail).length).toBeLessThanOrEqual(501); // max_detail_length, plus "…"
    // The origin could not hand over its 10 MiB: the gateway cancelled the body.
    await new Promise((r) => setTimeout(r, 300));
    expect(bigErrorBytesWritten).toBeLessThan(10 * MiB);
  });
});

// The RateLimiter binding pointed at stand-in classes in another Worker: one
// that throws, one that never answers in time. Everything else is the real bundle.
const FAULTY_LIMITERS = `
import { DurableObject } from "cloudflare:workers";
export class ThrowingLimiter extends DurableObject {
  async check() { throw new Error("limiter storage exploded at /var/lib/limiter.sqlite"); }
  async recordFailure() { throw new Error("limiter storage exploded"); }
}
export class HangingLimiter extends DurableObject {
  async check() { await new Promise((resolve) => setTimeout(resolve, 3000)); throw new Error("too late"); }
  async recordFailure() { await new Promise((resolve) => setTimeout(resolve, 3000)); throw new Error("too late"); }
}
export default { fetch() { return new Response("hosts the faulty limiters"); } };
`;

describe("rate limiter faults: fail open and fail closed as configured", () => {
  let mf: Miniflare | undefined;
  const urls: Record<string, string> = {};
  let originHits: string[] = [];
  let limited: RunningOrigin;

  beforeAll(async () => {
    limited = await startOrigin((req, res) => {
      originHits.push(req.url ?? "");
      res.end("served");
    });
    const wrangler = parse(readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8")) as { compatibility_date: string; compatibility_flags?: string[] };
    const bundlePath = inject("bundlePath");
    const portcullis = {
      rate_limits: { steady: { quota: 100, window_seconds: 60, key: "route" } },
      defaults: { rate_limits: ["steady"], rate_limit_timeout_ms: 200 },
      routes: [{ pattern: "/closed/*", rate_limit_failure: "closed" }],
    };
    const gatewayWorker = (name: string, className: string) => ({
      name,
      modules: true,
      scriptPath: bundlePath,
      modulesRoot: dirname(bundlePath),
      // wrangler.toml travels in the bundle as a text module (src/config/wrangler-toml.txt).
      modulesRules: [{ type: "Text" as const, include: ["**/*.txt"] }],
      compatibilityDate: wrangler.compatibility_date,
      compatibilityFlags: wrangler.compatibility_flags ?? [],
      bindings: { ORIGIN_URL: limited.url, PORTCULLIS: portcullis },
      durableObjects: { RATE_LIMITER: { className, scriptName: "limiters", useSQLite: true } },
      unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    });
    mf = new Miniflare({
      workers: [
        gatewayWorker("throwing", "ThrowingLimiter"),
        gatewayWorker("hanging", "HangingLimiter"),
        {
          name: "limiters",
          modules: [{ type: "ESModule", path: "limiters.mjs", contents: FAULTY_LIMITERS }],
          compatibilityDate: wrangler.compatibility_date,
          durableObjects: { THROWING: { className: "ThrowingLimiter", useSQLite: true }, HANGING: { className: "HangingLimiter", useSQLite: true } },
        },
      ],
      host: "127.0.0.1",
      port: 0,
      cf: { colo: "LOCAL", country: "XX" },
    });
    await mf.ready;
    for (const name of ["throwing", "hanging"]) urls[name] = (await mf.unsafeGetDirectURL(name)).origin;
  });

  afterAll(async () => {
    await mf?.dispose();
    await limited?.close();
  });

  it.each(["throwing", "hanging"])("fail-open: the request proceeds, marked unchecked, when the limiter is %s", async (fault) => {
    originHits = [];
    const started = Date.now();
    const res = await httpRequest(`${urls[fault]}/open/x`);
    expect(Date.now() - started).toBeLessThan(1500); // the 200 ms budget, not the limiter's 3 s
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe("served");
    expect(res.headers["portcullis-ratelimit"]).toBe("unchecked");
    expect(res.headers["ratelimit-policy"]).toBeDefined();
    expect(res.headers.ratelimit).toBeUndefined();
    expect(originHits).toEqual(["/open/x"]);
  });

  it.each(["throwing", "hanging"])("fail-closed: 503 with Retry-After, and the origin is not asked, when the limiter is %s", async (fault) => {
    originHits = [];
    const started = Date.now();
    const res = await httpRequest(`${urls[fault]}/closed/x`);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.status).toBe(503);
    expect(res.headers["retry-after"]).toBe("1");
    expect(res.headers["portcullis-ratelimit"]).toBe("unchecked");
    const problem = problemOf(res);
    expect(problem.type).toBe("tag:portcullis.dev,2026:problems/service-unavailable");
    expect(res.body.toString()).not.toMatch(/exploded|sqlite|too late/);
    expect(originHits).toEqual([]);
  });
});
