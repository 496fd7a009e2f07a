// Hostile error bodies from the origin: huge, deeply nested, very wide, not
// UTF-8. Whatever the origin sends with a status >= 400, the client gets a
// small, valid problem with the origin's status, promptly, and the gateway
// keeps serving.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest } from "./http-client";

const MiB = 1024 * 1024;
const json = "application/json";
// Bytes that are not UTF-8: a lone continuation byte, an invalid lead, a truncated
// sequence, an encoded surrogate, an overlong "/", a 5-byte form.
const NOT_UTF8 = Buffer.from([0x80, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0xf8, 0x88, 0x80, 0x80, 0x80]);

const BODIES: Record<string, { status: number; type: string; body: Buffer }> = {
  "/nested-arrays": { status: 400, type: json, body: Buffer.from(`${"[".repeat(30_000)}${"]".repeat(30_000)}`) },
  "/nested-objects": { status: 422, type: json, body: Buffer.from(`${'{"error":'.repeat(6_000)}"deep"${"}".repeat(6_000)}`) },
  "/nested-beyond-the-read-limit": { status: 400, type: json, body: Buffer.from(`${'{"a":'.repeat(200_000)}1${"}".repeat(200_000)}`) },
  "/wide-object": {
    status: 409,
    type: json,
    body: Buffer.from(JSON.stringify({ message: "wide", ...Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`member${i}`, "v".repeat(8)])) })),
  },
  "/long-message": { status: 400, type: json, body: Buffer.from(JSON.stringify({ error: { message: "m".repeat(5 * MiB), code: "Long" } })) },
  "/not-utf8-json": { status: 400, type: json, body: Buffer.concat([Buffer.from('{"message":"bad '), NOT_UTF8, Buffer.from(' end","code":"Bad'), NOT_UTF8, Buffer.from('"}')]) },
  "/not-utf8-text": { status: 503, type: "text/plain; charset=utf-8", body: Buffer.concat([Buffer.from("down "), NOT_UTF8]) },
  "/not-utf8-html": { status: 404, type: "text/html", body: Buffer.concat([Buffer.from("<html><h1>gone "), NOT_UTF8, Buffer.from("</h1></html>")]) },
  "/lying-charset": { status: 400, type: "text/plain; charset=x-unknown-evil", body: Buffer.concat([Buffer.from("charset lies "), NOT_UTF8]) },
  "/nul-and-controls": { status: 400, type: json, body: Buffer.from(JSON.stringify({ message: "a\u0000b\u001b[31mred\u001b[0m\r\nInjected: header\u202eevil" })) },
};

let origin: RunningOrigin;
let gateway: RunningGateway;

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    const answer = BODIES[req.url ?? ""];
    res.on("error", () => {});
    if (answer === undefined) return void res.end("alive");
    res.writeHead(answer.status, { "content-type": answer.type, "content-length": answer.body.length });
    res.end(answer.body);
  });
  gateway = await startGateway(origin.url, {});
});

afterAll(async () => {
  await gateway?.dispose();
  await origin?.close();
});

afterEach(async () => {
  expect((await httpRequest(`${gateway.url}/alive`)).body.toString()).toBe("alive");
});

it.each(Object.entries(BODIES))("%s: a small, valid problem with the origin's status", async (path, { status }) => {
  const started = Date.now();
  const res = await httpRequest(`${gateway.url}${path}`);
  expect(Date.now() - started).toBeLessThan(2000);
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toBe("application/problem+json");
  expect(res.body.length).toBeLessThan(8 * 1024);
  // Valid UTF-8 (a fatal decoder throws on anything else), valid JSON, one line of detail.
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(res.body);
  const problem = JSON.parse(text) as Record<string, unknown>;
  expect(problem.status).toBe(status);
  expect(typeof problem.detail).toBe("string");
  expect(String(problem.detail)).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
  expect(String(problem.detail).length).toBeLessThanOrEqual(501);
  expect(Object.keys(problem).length).toBeLessThanOrEqual(6 + 3 + 32); // RFC 9457 members + request_id, code, errors + at most 32 extensions
});

it("keeps what can be kept of a message that is not UTF-8, with replacement characters", async () => {
  const res = await httpRequest(`${gateway.url}/not-utf8-json`);
  const problem = JSON.parse(res.body.toString("utf8")) as Record<string, unknown>;
  expect(problem.detail).toMatch(/^bad \uFFFD+.* end$/u);
});
