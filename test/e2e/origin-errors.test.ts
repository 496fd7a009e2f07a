import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM scripts shared with the demo origin
import { encodeBody } from "../../scripts/demo-origin.mjs";
import { DIALECTS } from "../../scripts/dialects.mjs";
import type { DialectExample } from "../../scripts/dialects.mjs";
import type { normalizeOriginError as Normalize } from "../../src/normalize/normalize-origin-error";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest, problemOf } from "./http-client";

const dialects = DIALECTS as readonly DialectExample[];
let origin: RunningOrigin;
let gateway: RunningGateway;
let bigBodyBytesSent = 0;
let normalize: typeof Normalize;

beforeAll(async () => {
  // The pure function, bundled as the Worker bundles it: the gateway must produce exactly its result.
  const out = await build({ entryPoints: ["src/normalize/normalize-origin-error.ts"], bundle: true, format: "esm", platform: "neutral", write: false, logLevel: "silent" });
  normalize = ((await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0]?.text ?? "").toString("base64")}`)) as { normalizeOriginError: typeof Normalize }).normalizeOriginError;

  origin = await startOrigin((req, res) => {
    const dialect = dialects.find((d) => d.path === req.url);
    if (dialect) {
      res.writeHead(dialect.status, dialect.headers);
      return res.end(encodeBody(dialect));
    }
    if (req.url === "/header-code") {
      res.writeHead(409, { "content-type": "text/plain", "x-error-code": "E_LOCKED", "x-ms-error-code": "ContainerBeingDeleted" });
      return res.end("The container is being deleted.");
    }
    if (req.url === "/gzip") {
      res.writeHead(404, { "content-type": "application/json", "content-encoding": "gzip" });
      return res.end(gzipSync(JSON.stringify({ error: { status: 404, message: "No order 42.", code: "OrderNotFound" } })));
    }
    if (req.url === "/latin1") {
      res.writeHead(400, { "content-type": "text/plain; charset=ISO-8859-1" });
      return res.end(Buffer.from("Le café est fermé.", "latin1"));
    }
    if (req.url === "/huge") {
      // 10 MiB of error page, written as fast as the gateway reads it.
      res.writeHead(500, { "content-type": "text/html" });
      bigBodyBytesSent = 0;
      const chunk = Buffer.alloc(64 * 1024, "<p>error</p>");
      const write = (): void => {
        while (bigBodyBytesSent < 10 * 1024 * 1024) {
          bigBodyBytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", write);
        }
        res.end();
      };
      res.on("error", () => {});
      return write();
    }
    res.end("ok");
  });
  gateway = await startGateway(origin.url, {});
});

afterAll(async () => {
  await gateway?.dispose();
  await origin?.close();
});

describe("every dialect, through the running gateway", () => {
  it.each(dialects.map((d) => [d.name, d] as const))("%s", async (_name, dialect) => {
    const res = await httpRequest(`${gateway.url}${dialect.path}`, { headers: { "x-request-id": "e2e-dialect" } });
    expect(res.status).toBe(dialect.status);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    const expected = normalize(
      { status: dialect.status, headers: new Headers(dialect.headers), text: dialect.body, truncated: false },
      { exposeServerErrors: false, maxDetailLength: 500, codeTypes: {} },
      { requestId: "e2e-dialect", instance: dialect.path },
    ).problem;
    expect(problemOf(res)).toEqual(expected);
  });
});

describe("codes in response headers (errors.code_headers)", () => {
  it("by default, the vendors' documented headers", async () => {
    const res = await httpRequest(`${gateway.url}/header-code`);
    expect(problemOf(res)).toMatchObject({ status: 409, detail: "The container is being deleted.", code: "ContainerBeingDeleted" });
  });

  it("the operator's own list, in its order", async () => {
    const custom = await startGateway(origin.url, { errors: { code_headers: ["X-Error-Code"] } });
    try {
      const res = await httpRequest(`${custom.url}/header-code`);
      expect(problemOf(res)).toMatchObject({ status: 409, code: "E_LOCKED" });
    } finally {
      await custom.dispose();
    }
  });
});

describe("encodings and sizes", () => {
  it("decodes a gzip-encoded error body", async () => {
    const res = await httpRequest(`${gateway.url}/gzip`, { headers: { "accept-encoding": "identity" } });
    expect(res.status).toBe(404);
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(problemOf(res)).toMatchObject({ detail: "No order 42.", code: "OrderNotFound" });
  });

  it("decodes an ISO-8859-1 error body", async () => {
    const res = await httpRequest(`${gateway.url}/latin1`);
    expect(problemOf(res).detail).toBe("Le café est fermé.");
  });

  it("answers a 10 MiB error body with a small problem, without reading it all", async () => {
    const res = await httpRequest(`${gateway.url}/huge`);
    expect(res.status).toBe(500);
    expect(res.body.length).toBeLessThan(1024);
    expect(problemOf(res).detail).toBe("The origin failed to process the request.");
    await new Promise((r) => setTimeout(r, 200));
    expect(bigBodyBytesSent).toBeLessThan(10 * 1024 * 1024);
  });
});
