// Clients that send `Expect: 100-continue` (curl for large uploads, .NET
// Framework for every POST). The runtime answers the expectation itself, so
// the origin must never see it (RFC 9110 §10.1.1): otherwise the origin's
// interim 100 came back as the gateway's answer. Small, large, chunked and
// over-limit bodies, through a real origin and a real client.
import { createHash } from "node:crypto";
import { request, type IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { expectValidProblem } from "../helpers/problem-schema";

let origin: RunningOrigin;
let gateway: RunningGateway;
const seen: { expect: string | undefined; bytes: number; sha256: string }[] = [];
const LIMIT = 64 * 1024;

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    const hash = createHash("sha256");
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on("end", () => {
      const sha256 = hash.digest("hex");
      seen.push({ expect: req.headers.expect, bytes, sha256 });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ bytes, sha256 }));
    });
  });
  // On workerd's own socket: through Miniflare's entry worker, a response that
  // leaves the request body unread may be followed by a reset that destroys it
  // in the client's receive buffer (docs/benchmarks.md, what workerd does).
  gateway = await startGateway(
    origin.url,
    {
      routes: [
        { pattern: "/small/*", max_body_bytes: LIMIT, accept: ["application/json"] },
        { pattern: "/large/*", max_body_bytes: 8 * 1024 * 1024 },
      ],
    },
    { direct: true },
  );
});

afterAll(async () => {
  await gateway?.dispose();
  await origin?.close();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** A 100 Continue reached the client (workerd leaves that to Cloudflare's edge; locally none comes). */
  continued: boolean;
}

/**
 * POSTs `body` the way such clients do: headers with Expect first, the body
 * after 100 Continue or, as curl (1 s) and .NET (350 ms) do, after a short
 * wait without one (RFC 9110 §10.1.1: a client need not wait for it).
 */
function postExpecting(path: string, body: Buffer, options: { chunked?: boolean; contentType?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { expect: "100-continue", "content-type": options.contentType ?? "application/json" };
    if (options.chunked !== true) headers["content-length"] = String(body.length);
    const req = request(`${gateway.url}${path}`, { method: "POST", headers, agent: false });
    let continued = false;
    let sending = false;
    const send = () => {
      if (sending) return;
      sending = true;
      void (async () => {
        for (let at = 0; at < body.length; at += 16 * 1024) {
          if (req.destroyed) return;
          if (!req.write(body.subarray(at, at + 16 * 1024))) await new Promise((r) => req.once("drain", r));
        }
        req.end();
      })();
    };
    req.on("continue", () => {
      continued = true;
      send();
    });
    const wait = setTimeout(send, 300);
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      clearTimeout(wait);
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), continued }));
    });
    // The gateway may stop reading a body it refused: writing then fails, but the answer must still arrive.
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    req.on("close", () => {
      clearTimeout(wait);
      if (!answered) reject(new Error("the connection closed without a response"));
    });
    req.flushHeaders();
  });
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function expectProblem(answer: Answer, slug: string): void {
  expect(answer.headers["content-type"]).toBe("application/problem+json");
  const problem = JSON.parse(answer.body.toString("utf8")) as Record<string, unknown>;
  expectValidProblem(problem);
  expect(problem.type).toBe(`tag:portcullis.dev,2026:problems/${slug}`);
  expect(problem.status).toBe(answer.status);
}

describe("Expect: 100-continue", () => {
  it("a 3 KB JSON POST reaches the origin whole, and the origin sees no Expect", async () => {
    const body = Buffer.from(JSON.stringify({ text: "x".repeat(3000) }));
    const answer = await postExpecting("/small/items", body);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString())).toEqual({ bytes: body.length, sha256: sha(body) });
    expect(seen.at(-1)?.expect).toBeUndefined();
  });

  it("a 4 MiB upload with Content-Length arrives byte for byte", async () => {
    const body = Buffer.alloc(4 * 1024 * 1024, 7);
    const answer = await postExpecting("/large/upload", body, { contentType: "application/octet-stream" });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString())).toEqual({ bytes: body.length, sha256: sha(body) });
    expect(seen.at(-1)?.expect).toBeUndefined();
  });

  it("a chunked upload arrives byte for byte", async () => {
    const body = Buffer.alloc(1024 * 1024, 3);
    const answer = await postExpecting("/large/chunked", body, { chunked: true, contentType: "application/octet-stream" });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString())).toEqual({ bytes: body.length, sha256: sha(body) });
  });

  it("a chunked body over the limit gets its 413, never a 502", async () => {
    const body = Buffer.alloc(4 * LIMIT, 1);
    const answer = await postExpecting("/small/too-big", body, { chunked: true });
    expect(answer.status).toBe(413);
    expectProblem(answer, "content-too-large");
  });

  it("a declared length over the limit is refused without the body being sent", async () => {
    const answer = await postExpecting("/small/too-big", Buffer.alloc(2 * LIMIT, 1));
    expect(answer.status).toBe(413);
    expectProblem(answer, "content-too-large");
  });
});

describe("interim responses the origin sends unasked", () => {
  // Asserted so a change is noticed: local workerd's fetch hands an interim
  // 103 over as if it were the answer, and the final answer is lost. The
  // gateway never causes one (it forwards no Expect); for an origin that sends
  // 103 Early Hints on its own, the client gets a 502 problem, not the 103.
  it("a 103 Early Hints is answered with a 502 problem, never relayed as the answer", async () => {
    const hinting = await startOrigin((_req, res) => {
      res.writeEarlyHints({ link: "</style.css>; rel=preload; as=style" });
      setTimeout(() => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("final answer");
      }, 50);
    });
    const gw = await startGateway(hinting.url, {});
    try {
      const res = await fetch(`${gw.url}/hints`);
      expect(res.status).toBe(502);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expectValidProblem(await res.json());
    } finally {
      await gw.dispose();
      await hinting.close();
    }
  });
});
