// A correct answer prints no error: the runtime reports uncaught exceptions
// on its DevTools inspector (wrangler dev prints them as ERROR lines with a
// stack), and a streamed 413, a 504 or a 502 must not raise one.
import { createServer as createNetServer } from "node:net";
import { request } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";

let origin: RunningOrigin;
let gateway: RunningGateway;
let inspector: WebSocket;
const exceptions: string[] = [];

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address !== null ? address.port : 0;
}

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    if (req.url?.startsWith("/never")) return; // never answers: the deadline
    req.resume();
    req.on("end", () => res.end("ok"));
    req.on("error", () => undefined);
  });
  const port = await freePort();
  gateway = await startGateway(origin.url, { routes: [{ pattern: "/up/*", max_body_bytes: 64 * 1024 }, { pattern: "/never/*", timeout_ms: 300 }] }, { inspectorPort: port });
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  inspector = new WebSocket(targets[0]?.webSocketDebuggerUrl ?? "");
  await new Promise((resolve) => inspector.addEventListener("open", resolve));
  inspector.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { method?: string; params?: { exceptionDetails?: { text?: string } } };
    if (message.method === "Runtime.exceptionThrown") exceptions.push(message.params?.exceptionDetails?.text ?? "?");
  });
  inspector.send(JSON.stringify({ id: 1, method: "Runtime.enable" }));
  await new Promise((resolve) => setTimeout(resolve, 200));
});

afterAll(async () => {
  inspector?.close();
  await gateway?.dispose();
  await origin?.close();
});

function chunkedUpload(path: string, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${gateway.url}${path}`, { method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    const chunk = Buffer.alloc(16 * 1024);
    let sent = 0;
    const write = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

it("raises no uncaught exception for a streamed 413 or a 504", async () => {
  expect(await chunkedUpload("/up/x", 1024 * 1024)).toBe(413);
  expect((await fetch(`${gateway.url}/never/x`)).status).toBe(504);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(exceptions).toEqual([]);
});
