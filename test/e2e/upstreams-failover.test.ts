// Failover and the circuit breaker against two real origins on loopback: the
// primary resets connections, then dies, then comes back on its port; the
// secondary dies too. Also what a real origin sees of strip_prefix and Host.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest, problemOf } from "./http-client";

const COOLDOWN_MS = 1_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Hit {
  readonly url: string | undefined;
  readonly host: string | undefined;
  readonly body: string;
}

/** A real origin whose behaviour the test switches: answer, reset the connection, or answer 503. */
function origin(name: string) {
  const hits: Hit[] = [];
  let mode: "ok" | "reset" | "busy" = "ok";
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hits.push({ url: req.url, host: req.headers.host, body: Buffer.concat(chunks).toString() });
      if (mode === "reset") return void req.socket.destroy();
      if (mode === "busy") return void res.writeHead(503, { "content-type": "text/plain" }).end("busy");
      res.writeHead(200, { "content-type": "text/plain" }).end(name);
    });
  };
  return { hits, handler, set: (m: typeof mode) => (mode = m) };
}

const a = origin("a");
const b = origin("b");
let originA: RunningOrigin;
let originB: RunningOrigin;
let portA: number;
let gateway: RunningGateway;

beforeAll(async () => {
  originA = await startOrigin(a.handler);
  originB = await startOrigin(b.handler);
  portA = (originA.server.address() as AddressInfo).port;
  gateway = await startGateway(undefined, {
    upstreams: {
      api: { urls: [`${originA.url}/v1`, `${originB.url}/v1`], retry_on: [503], breaker_failures: 2, breaker_cooldown_seconds: COOLDOWN_MS / 1000 },
    },
    defaults: { upstream: "api", timeout_ms: 3_000 },
    routes: [{ pattern: "/api/*", upstream: "api", strip_prefix: "/api" }],
  });
});

afterAll(async () => {
  await gateway?.dispose();
  await originA?.close();
  await originB?.close();
});

const get = async (path: string) => httpRequest(`${gateway.url}${path}`);
const text = (res: { body: Buffer }) => res.body.toString();

describe("two real origins", () => {
  it("sends requests to the first URL, prefix stripped, the rest byte for byte, Host the origin's own", async () => {
    const res = await get("/api/users/a%3Bb?x=1&y=%2B");
    expect(text(res)).toBe("a");
    expect(a.hits.at(-1)).toMatchObject({ url: "/v1/users/a%3Bb?x=1&y=%2B", host: `127.0.0.1:${portA}` });
    expect(b.hits).toHaveLength(0);
  });

  it("answers from the second when the first resets the connection, small bodies included", async () => {
    a.set("reset");
    const res = await httpRequest(`${gateway.url}/api/orders`, { method: "POST", body: Buffer.from('{"qty":1}'), headers: { "content-type": "application/json" } });
    expect(text(res)).toBe("b");
    expect(a.hits.at(-1)?.body).toBe('{"qty":1}');
    expect(b.hits.at(-1)).toMatchObject({ url: "/v1/orders", body: '{"qty":1}' });
  });

  it("skips the first once it failed twice in a row, then probes it after the cool-down", async () => {
    expect(text(await get("/api/2"))).toBe("b");
    const tried = a.hits.length;
    for (let i = 0; i < 3; i++) expect(text(await get("/api/skip"))).toBe("b");
    expect(a.hits).toHaveLength(tried);
    a.set("ok");
    await pause(COOLDOWN_MS + 100);
    expect(text(await get("/api/probe"))).toBe("a");
    expect(text(await get("/api/after"))).toBe("a");
  });

  it("moves on after a retry_on status for GET, not for POST", async () => {
    a.set("busy");
    expect(text(await get("/api/busy"))).toBe("b");
    const post = await httpRequest(`${gateway.url}/api/busy`, { method: "POST" });
    expect(post.status).toBe(503);
    expect(post.headers["content-type"]).toBe("application/problem+json");
    a.set("ok");
  });

  it("survives the first origin dying, then answers 502, then 503 with Retry-After while both cool down", async () => {
    // The 503s above opened the first one's breaker: let it cool down, so that it is probed, dead.
    await pause(COOLDOWN_MS + 100);
    await originA.close();
    expect(text(await get("/api/dead"))).toBe("b");
    await originB.close();
    const down = await get("/api/down");
    expect(down.status).toBe(502);
    expect(problemOf(down).type).toBe("tag:portcullis.dev,2026:problems/bad-gateway");
    await get("/api/down");
    const cooling = await get("/api/cooling");
    expect(cooling.status).toBe(503);
    expect(problemOf(cooling).type).toBe("tag:portcullis.dev,2026:problems/service-unavailable");
    expect(Number(cooling.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(cooling.body.toString()).not.toContain("127.0.0.1");
  });

  it("finds the first origin again when it comes back on its port", async () => {
    originA = await startOrigin(a.handler, portA);
    await pause(COOLDOWN_MS + 100);
    expect(text(await get("/api/back"))).toBe("a");
  });
});
