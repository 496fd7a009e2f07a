// Failover between an upstream's URLs: when a request goes on to the next
// URL (no response before any answer; retry_on statuses), with which bodies,
// within one deadline, and what the client and the log see.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";
import { logLines, refused } from "../../helpers/upstreams";

afterEach(() => {
  vi.restoreAllMocks();
});

const PORTCULLIS = {
  upstreams: {
    api: { urls: ["https://a.internal", "https://b.internal"], retry_on: [502, 503, 504] },
  },
  defaults: { upstream: "api" },
};

/** A down, b answers. */
const aDown = (request: Request) => (new URL(request.url).host === "a.internal" ? refused() : new Response("from b"));
const hosts = (origin: ReturnType<typeof mockOrigin>) => origin.calls.map((c) => new URL(c.request.url).host);

/** A body of unknown length (no Content-Length), as a chunked upload arrives. */
function chunked(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}

describe("no response from a URL", () => {
  it("tries the next URL for a request without a body, whatever its method", async () => {
    const origin = mockOrigin(aDown);
    for (const method of ["GET", "POST", "DELETE"]) {
      const res = await send("/x", { method }, { PORTCULLIS });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("from b");
    }
    expect(hosts(origin)).toEqual(["a.internal", "b.internal", "a.internal", "b.internal", "a.internal", "b.internal"]);
  });

  it("sends a small body with a declared length again, whole", async () => {
    const origin = mockOrigin(aDown);
    const res = await send("/x", { method: "POST", body: '{"a":1}', headers: { "content-type": "application/json", "content-length": "7" } }, { PORTCULLIS });
    expect(res.status).toBe(200);
    expect(origin.calls.map((c) => new TextDecoder().decode(c.body))).toEqual(['{"a":1}', '{"a":1}']);
  });

  it("never sends a streamed body twice: a chunked upload gets the first URL's 502", async () => {
    const origin = mockOrigin(aDown);
    const res = await send("/x", { method: "POST", body: chunked("once") }, { PORTCULLIS });
    expect(res.status).toBe(502);
    expect(hosts(origin)).toEqual(["a.internal"]);
  });

  it("never buffers a body over 64 KiB: it streams to the first URL only", async () => {
    const origin = mockOrigin(aDown);
    const body = new Uint8Array(64 * 1024 + 1);
    const res = await send("/x", { method: "PUT", body, headers: { "content-length": String(body.byteLength) } }, { PORTCULLIS });
    expect(res.status).toBe(502);
    expect(hosts(origin)).toEqual(["a.internal"]);
  });

  it("answers 502 when every URL fails, with one problem and nothing internal", async () => {
    mockOrigin(refused);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const res = await send("/x", {}, { PORTCULLIS });
    const problem = await readProblem(res);
    expect(res.status).toBe(502);
    expect(JSON.stringify(problem)).not.toMatch(/internal|Network/);
    expect(logLines(log).at(-1)).toMatchObject({
      upstream: "api",
      upstream_attempts: [
        { url: "https://a.internal", outcome: "no_response", error: "Error: Network connection lost." },
        { url: "https://b.internal", outcome: "no_response", error: "Error: Network connection lost." },
      ],
      status: 502,
    });
  });
});

describe("retry_on", () => {
  const aBusy = (request: Request) => new Response(new URL(request.url).host === "a.internal" ? "busy" : "from b", { status: new URL(request.url).host === "a.internal" ? 503 : 200 });

  it("tries the next URL after a listed status, for idempotent methods", async () => {
    const origin = mockOrigin(aBusy);
    for (const method of ["GET", "PUT"]) expect((await send("/x", { method }, { PORTCULLIS })).status).toBe(200);
    expect(hosts(origin)).toEqual(["a.internal", "b.internal", "a.internal", "b.internal"]);
  });

  it("never for POST or PATCH: the first answer is the client's, normalized", async () => {
    const origin = mockOrigin(aBusy);
    for (const method of ["POST", "PATCH"]) {
      const res = await send("/x", { method }, { PORTCULLIS });
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(hosts(origin)).toEqual(["a.internal", "a.internal"]);
  });

  it("never after a status not listed", async () => {
    const origin = mockOrigin(() => new Response("no", { status: 500 }));
    expect((await send("/x", {}, { PORTCULLIS })).status).toBe(500);
    expect(hosts(origin)).toEqual(["a.internal"]);
  });

  it("gives the last URL's answer when every URL answers a listed status", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    mockOrigin(() => new Response("busy", { status: 503, headers: { "retry-after": "7" } }));
    const res = await send("/x", {}, { PORTCULLIS });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("7");
    await readProblem(res);
    expect(logLines(log).at(-1)?.upstream_attempts).toMatchObject([
      { url: "https://a.internal", outcome: "retry_on", status: 503 },
      { url: "https://b.internal", outcome: "retry_on", status: 503 },
    ]);
  });
});

describe("one deadline for every attempt", () => {
  it("covers reading a small body for replay: a client that stalls gets 504, no URL is asked", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("12345"));
      },
    });
    const init = { method: "PUT", body: stalled, headers: { "content-length": "10" } };
    const res = await send("/x", init, { PORTCULLIS: { ...PORTCULLIS, defaults: { upstream: "api", timeout_ms: 100 } } });
    expect(res.status).toBe(504);
    expect(origin.calls).toHaveLength(0);
  });

  it("answers 504 once the route's timeout passes, however many URLs are left", async () => {
    const origin = mockOrigin((request) =>
      new URL(request.url).host === "a.internal"
        ? new Promise<Response>((resolve) => setTimeout(() => resolve(new Response("busy", { status: 503 })), 150))
        : new Promise<Response>(() => {}),
    );
    const started = Date.now();
    const res = await send("/x", {}, { PORTCULLIS: { ...PORTCULLIS, defaults: { upstream: "api", timeout_ms: 250 } } });
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(hosts(origin)).toEqual(["a.internal", "b.internal"]);
  });
});
