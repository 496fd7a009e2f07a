import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest, problemOf } from "./http-client";

const TIMEOUT_MS = 500;
let origin: RunningOrigin;
let gateway: RunningGateway;
let hungRequestClosed = false;

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    switch (req.url) {
      case "/never":
        // Never answers; notices when the gateway gives up on it.
        req.socket.on("close", () => (hungRequestClosed = true));
        return;
      case "/reset":
        return void req.socket.destroy();
      case "/stall-after-headers":
        // The error's headers and the start of its body, then nothing more.
        res.writeHead(422, { "content-type": "application/json" });
        res.write('{"error": {"message": "The email is already taken.", "code": "EmailTaken", ');
        return;
      case "/stall-5xx":
        res.writeHead(500, { "content-type": "text/html" });
        res.write("<html><body><h1>Internal");
        return;
      case "/garbage":
        req.socket.end("HTTP/1.1 banana\r\n\r\n");
        return;
      default:
        res.end("alive");
    }
  });
  gateway = await startGateway(origin.url, { defaults: { timeout_ms: TIMEOUT_MS } });
});

afterAll(async () => {
  await gateway?.dispose();
  await origin?.close();
});

describe("origin faults", () => {
  it("answers 504 within the timeout plus a second when the origin never answers, and hangs up on it", async () => {
    const started = Date.now();
    const res = await httpRequest(`${gateway.url}/never`);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(504);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1000);
    const problem = problemOf(res);
    expect(problem.type).toBe("tag:portcullis.dev,2026:problems/gateway-timeout");
    expect(problem.request_id).toBe(res.headers["x-request-id"]);
    await new Promise((r) => setTimeout(r, 200));
    expect(hungRequestClosed).toBe(true);
  });

  it("answers 502 when the origin resets the connection", async () => {
    const res = await httpRequest(`${gateway.url}/reset`);
    expect(res.status).toBe(502);
    expect(problemOf(res).type).toBe("tag:portcullis.dev,2026:problems/bad-gateway");
  });

  it("answers 502 when the origin sends an invalid status line", async () => {
    const res = await httpRequest(`${gateway.url}/garbage`);
    expect(res.status).toBe(502);
    expect(res.body.toString()).not.toContain("banana");
  });

  it("answers 502 when nothing listens at the origin", async () => {
    const closed = await startOrigin(() => {});
    const url = closed.url;
    await closed.close();
    const lonely = await startGateway(url, {});
    try {
      const res = await httpRequest(`${lonely.url}/x`);
      expect(res.status).toBe(502);
      expect(JSON.stringify(problemOf(res))).not.toContain("127.0.0.1");
    } finally {
      await lonely.dispose();
    }
  });

  it("answers an origin error whose body stalls after its headers by the deadline, with what was read", async () => {
    const started = Date.now();
    const res = await httpRequest(`${gateway.url}/stall-after-headers`);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1000);
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    const problem = problemOf(res);
    expect(problem.detail).toBe("The email is already taken.");
    expect(problem.code).toBe("EmailTaken");
  });

  it("answers a stalled 5xx error body by the deadline, still hiding the origin's text", async () => {
    const started = Date.now();
    const res = await httpRequest(`${gateway.url}/stall-5xx`);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
    expect(res.status).toBe(500);
    expect(res.body.toString()).not.toContain("Internal<");
  });

  it("keeps serving other requests after all of that", async () => {
    const res = await httpRequest(`${gateway.url}/fine`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe("alive");
  });
});
