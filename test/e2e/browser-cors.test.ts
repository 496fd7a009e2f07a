// A real browser calls the gateway from a page on another origin: the
// preflight, the call with an API key and a JSON body, reading the body,
// RateLimit and X-Request-Id, a 401 and a 429 problem; and a page on an
// origin the policy does not list, which the browser refuses.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type RunningBrowser } from "./browser";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";

const KEY = "pcl_browser_e2e_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";
const PAGE = "<!doctype html><title>web app</title><p>web app</p>";

let origin: RunningOrigin;
let page: RunningOrigin;
let otherPage: RunningOrigin;
let gateway: RunningGateway;
// Launched by the first test that needs it, so a missing browser fails every
// test that needs it rather than leaving them skipped behind a failed hook.
let browser: Promise<RunningBrowser> | undefined;
const originSaw: string[] = [];

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      originSaw.push(`${req.method ?? ""} ${req.url ?? ""}`);
      res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "https://origin-says.test" });
      res.end(JSON.stringify({ method: req.method, received: JSON.parse(Buffer.concat(chunks).toString() || "null") as unknown }));
    });
  });
  const servePage = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(PAGE);
  };
  page = await startOrigin(servePage);
  otherPage = await startOrigin(servePage);
  gateway = await startGateway(origin.url, {
    auth: { keys: { [createHash("sha256").update(KEY).digest("hex")]: { consumer: "web-app" } } },
    rate_limits: { generous: { quota: 100, window_seconds: 60 }, once: { quota: 1, window_seconds: 60 } },
    cors: { web: { origins: [page.url], headers: ["content-type", "x-api-key"] } },
    defaults: { cors: "web", auth: "api_key" },
    routes: [
      { pattern: "/api/orders", methods: ["POST"], accept: ["application/json"], rate_limits: ["generous"] },
      { pattern: "/api/once", methods: ["GET"], rate_limits: ["once"] },
    ],
  });
});

afterAll(async () => {
  await browser?.then((b) => b.close(), () => undefined);
  await gateway?.dispose();
  await Promise.all([origin?.close(), page?.close(), otherPage?.close()]);
});

interface Outcome {
  status?: number;
  body?: unknown;
  headers?: Record<string, string | null>;
  error?: string;
}

/** Runs `fetch` in a page served from `pageUrl`, exactly as the page's own script would. */
async function fetchFromPage(pageUrl: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Outcome> {
  browser ??= launchChromium();
  const tab = await (await browser).context.newPage();
  try {
    await tab.goto(pageUrl, { timeout: 10_000 });
    return await tab.evaluate(
      async ({ url, init }) => {
        try {
          const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
          const names = ["content-type", "ratelimit", "ratelimit-policy", "retry-after", "x-request-id", "www-authenticate"];
          const headers = Object.fromEntries(names.map((name) => [name, res.headers.get(name)]));
          return { status: res.status, headers, body: (await res.json()) as unknown };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url: `${gateway.url}${path}`, init },
    );
  } finally {
    await tab.close();
  }
}

const order = { headers: { "content-type": "application/json", "x-api-key": KEY }, method: "POST", body: JSON.stringify({ sku: "A-1", qty: 2 }) };

describe("a page on an allowed origin", () => {
  it("calls through the gateway with an API key and a JSON body, and reads the body, RateLimit and X-Request-Id", async () => {
    const outcome = await fetchFromPage(page.url, "/api/orders", order);
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe(200);
    expect(outcome.body).toEqual({ method: "POST", received: { sku: "A-1", qty: 2 } });
    expect(outcome.headers?.ratelimit).toMatch(/^"generous";r=99/);
    expect(outcome.headers?.["ratelimit-policy"]).toBe('"generous";q=100;w=60');
    expect(outcome.headers?.["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    // The browser's preflight was answered by the gateway: the origin saw the call alone.
    expect(originSaw).toEqual(["POST /api/orders"]);
  });

  it("reads a 401 problem and its challenge", async () => {
    const outcome = await fetchFromPage(page.url, "/api/orders", { ...order, headers: { "content-type": "application/json" } });
    expect(outcome.status).toBe(401);
    expect(outcome.headers?.["content-type"]).toBe("application/problem+json");
    expect(outcome.body).toMatchObject({ type: "tag:portcullis.dev,2026:problems/unauthenticated", status: 401 });
    expect(outcome.headers?.["www-authenticate"]).toMatch(/^Bearer realm=/);
  });

  it("reads a 429 problem and its Retry-After", async () => {
    const once = { headers: { "x-api-key": KEY } };
    expect((await fetchFromPage(page.url, "/api/once", once)).status).toBe(200);
    const outcome = await fetchFromPage(page.url, "/api/once", once);
    expect(outcome.status).toBe(429);
    expect(outcome.body).toMatchObject({ type: "https://iana.org/assignments/http-problem-types#quota-exceeded", "violated-policies": ["once"] });
    expect(Number(outcome.headers?.["retry-after"])).toBeGreaterThan(0);
    expect(outcome.headers?.ratelimit).toMatch(/^"once";r=0;t=\d+$/);
  });
});

describe("a page on an origin the policy does not list", () => {
  it("cannot call or read anything: the browser refuses", async () => {
    const before = originSaw.length;
    const preflighted = await fetchFromPage(otherPage.url, "/api/orders", order);
    expect(preflighted.error).toMatch(/TypeError: Failed to fetch/);
    const simple = await fetchFromPage(otherPage.url, "/api/once", {});
    expect(simple.error).toMatch(/TypeError: Failed to fetch/);
    // Neither reached the origin: the preflight was refused, and the simple GET
    // (sent, since CORS guards reading, not sending) got a 401 the page cannot read.
    expect(originSaw.length).toBe(before);
  });
});
