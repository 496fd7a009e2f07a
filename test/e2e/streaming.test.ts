import { createHash, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest, problemOf } from "./http-client";

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;
let received = 0;
let origin: RunningOrigin;
let gateway: RunningGateway;

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    if (req.url === "/upload") {
      received = 0;
      req.on("data", (c: Buffer) => (received += c.length));
      req.on("end", () => res.end(`got ${received}`));
      req.on("error", () => {});
      return;
    }
    if (req.url === "/hash") {
      const hash = createHash("sha256");
      req.on("data", (c: Buffer) => hash.update(c));
      req.on("end", () => res.end(hash.digest("hex")));
      return;
    }
    if (req.url === "/download") {
      // 20 MiB of a deterministic pattern, written in chunks with no Content-Length.
      res.writeHead(200, { "content-type": "application/octet-stream" });
      let sent = 0;
      const write = () => {
        while (sent < 20 * MiB) {
          const chunk = Buffer.alloc(CHUNK, sent / CHUNK);
          sent += CHUNK;
          if (!res.write(chunk)) return void res.once("drain", write);
        }
        res.end();
      };
      return write();
    }
    if (req.url === "/gzip") {
      res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip", etag: '"g1"' });
      return res.end(gzipSync(Buffer.from("compressed at the origin ".repeat(100))));
    }
    res.end("ok");
  });
  gateway = await startGateway(origin.url, { routes: [{ pattern: "/upload", max_body_bytes: MiB }, { pattern: "/hash", max_body_bytes: 64 * MiB }] });
});

afterAll(async () => {
  await gateway?.dispose();
  await origin?.close();
});

async function* chunks(total: number): AsyncGenerator<Buffer> {
  for (let sent = 0; sent < total; sent += CHUNK) yield Buffer.alloc(CHUNK, 0x61);
}

describe("request bodies stream with a limit", () => {
  it("cuts a chunked 5 MiB upload to a 1 MiB route off with 413; the origin gets at most the limit plus a chunk", async () => {
    const res = await httpRequest(`${gateway.url}/upload`, { method: "POST", body: chunks(5 * MiB), headers: { "content-type": "application/octet-stream" } });
    expect(res.status).toBe(413);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(problemOf(res).type).toBe("tag:portcullis.dev,2026:problems/content-too-large");
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toBeLessThanOrEqual(MiB + CHUNK);
  });

  it("lets a chunked upload under the limit through whole", async () => {
    const res = await httpRequest(`${gateway.url}/upload`, { method: "POST", body: chunks(MiB - CHUNK) });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(`got ${MiB - CHUNK}`);
  });

  it("delivers a chunked upload byte for byte, whatever the client's chunk sizes", async () => {
    const data = randomBytes(16 * MiB);
    async function* uneven(): AsyncGenerator<Buffer> {
      for (let offset = 0, n = 1; offset < data.length; offset += n, n = (n * 7919) % 200_000 + 1) yield data.subarray(offset, offset + n);
    }
    const res = await httpRequest(`${gateway.url}/hash`, { method: "POST", body: uneven() });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(createHash("sha256").update(data).digest("hex"));
  });

  it("answers 413 from Content-Length alone, before contacting the origin", async () => {
    received = -1;
    const res = await httpRequest(`${gateway.url}/upload`, { method: "POST", headers: { "content-length": String(2 * MiB) }, body: Buffer.alloc(0) });
    expect(res.status).toBe(413);
    expect(received).toBe(-1);
  });
});

describe("response bodies stream intact", () => {
  it("delivers a 20 MiB streamed response byte for byte", async () => {
    const res = await httpRequest(`${gateway.url}/download`, { headers: { "accept-encoding": "identity" } });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(20 * MiB);
    const expected = createHash("sha256");
    for (let sent = 0; sent < 20 * MiB; sent += CHUNK) expected.update(Buffer.alloc(CHUNK, sent / CHUNK));
    expect(createHash("sha256").update(res.body).digest("hex")).toBe(expected.digest("hex"));
  });

  it("passes a gzip-encoded origin body through unchanged", async () => {
    const res = await httpRequest(`${gateway.url}/gzip`, { headers: { "accept-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers.etag).toBe('"g1"');
    expect(res.body.equals(gzipSync(Buffer.from("compressed at the origin ".repeat(100))))).toBe(true);
  });
});
