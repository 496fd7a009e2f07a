import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../helpers/gateway";
import { readProblem } from "../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

/** A body of unknown length (no Content-Length), as a chunked upload arrives. */
function streamOf(chunks: number, chunkBytes: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(chunkBytes));
    },
  });
  return { body, pulled: () => pulled };
}

const vars = { PORTCULLIS: { routes: [{ pattern: "/upload", max_body_bytes: 1000 }] } };

describe("bodies without a declared length", () => {
  it("are cut off with 413 the moment the count passes the limit, without reading the rest", async () => {
    mockOrigin(() => new Response("should not get here"));
    const upload = streamOf(1000, 100);
    const res = await send("/upload", { method: "POST", body: upload.body }, vars);
    const problem = await readProblem(res);
    expect(res.status).toBe(413);
    expect(problem.detail).toBe("The request body exceeds this route's limit of 1000 bytes.");
    expect(upload.pulled()).toBeLessThan(20);
  });

  it("pass through whole when under the limit", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/upload", { method: "POST", body: streamOf(10, 100).body }, vars);
    expect(res.status).toBe(200);
    expect(origin.calls[0]?.body.byteLength).toBe(1000);
  });
});
