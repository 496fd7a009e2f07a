// README's "Try it in front of your own API", as a newcomer runs it: the
// example Express API, then `npm start -- --config examples/own-api/wrangler.toml`
// (wrangler dev, the real local runtime) with --origin and --port, and curl's
// part played by fetch. Every promise of that configuration is checked: the
// public /health, two partners' keys, the admin scope, the per-partner limit,
// the body cap, the 404 for other paths, and the API's own errors as problems.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../examples/own-api/api.mjs";
import { expectValidProblem } from "../helpers/problem-schema";

const ACME = "pcl_try_acme_dJ3kq9Vx2mLw7RtY5nB8cF4hG6pZ1sAe";
const GLOBEX = "pcl_try_globex_Qw8eR4tY6uI2oP0aS5dF7gH9jK3lZxCv";

let server: Server;
let gatewayProcess: ChildProcess;
let gateway: string;
let output = "";
const state = mkdtempSync(join(tmpdir(), "portcullis-own-api-"));

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  server = api().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const port = await freePort();
  gateway = `http://127.0.0.1:${port}`;
  // A fresh local state directory: rate-limit counts of an earlier run must not carry over.
  gatewayProcess = spawn(process.execPath, ["scripts/start.mjs", "--config", "examples/own-api/wrangler.toml", "--origin", apiUrl, "--port", String(port), "--persist-to", state], {
    env: { ...process.env, PATH: `${join(process.cwd(), "node_modules", ".bin")}:${process.env.PATH ?? ""}` },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  gatewayProcess.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  gatewayProcess.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 45_000;
  while (!output.includes("Press Ctrl+C to stop")) {
    if (Date.now() > deadline || gatewayProcess.exitCode !== null) throw new Error(`npm start did not become ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);

afterAll(async () => {
  if (gatewayProcess?.pid !== undefined && gatewayProcess.exitCode === null) {
    const exited = new Promise((resolve) => gatewayProcess.once("exit", resolve));
    process.kill(-gatewayProcess.pid, "SIGINT");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (gatewayProcess.exitCode === null) process.kill(-gatewayProcess.pid, "SIGKILL");
  }
  await new Promise((resolve) => server?.close(resolve));
  rmSync(state, { recursive: true, force: true });
}, 15_000);

const get = (path: string, key?: string, init: RequestInit = {}) =>
  fetch(`${gateway}${path}`, { ...init, headers: { ...(key === undefined ? {} : { "x-api-key": key }), ...(init.headers as Record<string, string> | undefined) } });

async function problem(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as Record<string, unknown>;
  expectValidProblem(body);
  expect(body.request_id).toBe(response.headers.get("x-request-id"));
  return body;
}

describe("the example configuration in front of an Express API, through npm start", () => {
  it("says where it runs and in front of what, and does not start the demo origin", () => {
    expect(output).toContain(`Portcullis is running on ${gateway} in front of http://127.0.0.1:`);
    expect(output).not.toContain("demo origin listening");
    // Nothing alarming on a correct start (the project's types file describes the project's wrangler.toml).
    expect(output).not.toMatch(/out of date|ERROR|✘/);
  });

  it("serves /health without a key and without a limit", async () => {
    const response = await get("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("ratelimit")).toBeNull();
  });

  it("asks for a key on the partner API, and tells the API who called", async () => {
    const anonymous = await get("/orders/1");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    expect((await problem(anonymous)).status).toBe(401);
    const acme = await get("/orders/1", ACME);
    expect(acme.status).toBe(200);
    expect(await acme.json()).toMatchObject({ id: "1", seen_by: "acme", scopes: "orders" });
    const bearer = await get("/orders/1", undefined, { headers: { authorization: `Bearer ${GLOBEX}` } });
    expect(await bearer.json()).toMatchObject({ seen_by: "globex", scopes: "orders admin" });
  });

  it("keeps /admin to the key with the admin scope", async () => {
    const acme = await get("/admin/stats", ACME);
    expect(acme.status).toBe(403);
    expect(acme.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    await problem(acme);
    expect((await get("/admin/stats", GLOBEX)).status).toBe(200);
  });

  it("turns the API's own errors into problem details, status and message kept", async () => {
    const missing = await get("/orders/999", ACME);
    expect(missing.status).toBe(404);
    expect((await problem(missing)).detail).toBe("order 999 not found");
    const invalid = await get("/orders", ACME, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(invalid.status).toBe(422);
    const body = await problem(invalid);
    expect(JSON.stringify(body)).toContain("must be a positive integer");
  });

  it("caps the body at 64 KiB and accepts JSON only on the partner API", async () => {
    const big = await get("/orders", ACME, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ item: "x".repeat(70_000), quantity: 1 }) });
    expect(big.status).toBe(413);
    await problem(big);
    const text = await get("/orders", ACME, { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect(text.status).toBe(415);
  });

  it("answers 404 for a path no route names: it never reaches the API", async () => {
    const response = await get("/internal/metrics", GLOBEX);
    expect(response.status).toBe(404);
    await problem(response);
  });

  it("limits each partner to 60 requests a minute, the other partner unaffected", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 61; i++) {
      last = await get("/orders/1", GLOBEX);
      if (last.status === 429) break;
      await last.arrayBuffer();
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    await problem(last as Response);
    expect((await get("/orders/1", ACME)).status).toBe(200);
  }, 30_000);
});
