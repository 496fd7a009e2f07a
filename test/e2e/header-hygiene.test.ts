import { afterAll, beforeAll, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest } from "./http-client";

let origin: RunningOrigin;
let gateway: RunningGateway;

beforeAll(async () => {
  // Echoes the headers it received, and sends hop-by-hop headers of its own.
  origin = await startOrigin((req, res) => {
    res.writeHead(200, { "content-type": "application/json", connection: "x-origin-hop", "x-origin-hop": "1", "keep-alive": "timeout=5", "x-origin": "kept" });
    res.end(JSON.stringify(req.headers));
  });
  gateway = await startGateway(origin.url, {});
});

afterAll(async () => {
  await gateway?.dispose();
  await origin?.close();
});

it("never lets client-sent forwarding or hop-by-hop headers reach the origin, in either direction", async () => {
  const res = await httpRequest(`${gateway.url}/echo`, {
    headers: {
      "x-forwarded-for": "6.6.6.6",
      "x-forwarded-host": "evil.example",
      forwarded: "for=6.6.6.6",
      connection: "x-client-hop",
      "x-client-hop": "secret",
      "proxy-authorization": "Basic eDp5",
      "x-request-id": "e2e-hygiene-1",
    },
  });
  expect(res.status).toBe(200);
  const seen = JSON.parse(res.body.toString()) as Record<string, string>;
  expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
  expect(seen["x-forwarded-host"]).toBe(new URL(gateway.url).host);
  expect(seen.forwarded).toMatch(/^for=127\.0\.0\.1;proto=http;host=/);
  expect(seen["x-client-hop"]).toBeUndefined();
  expect(seen["proxy-authorization"]).toBeUndefined();
  expect(seen["x-request-id"]).toBe("e2e-hygiene-1");
  expect(seen.via).toBe("1.1 portcullis");
  expect(seen.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  expect(res.headers["x-origin-hop"]).toBeUndefined();
  expect(res.headers["x-origin"]).toBe("kept");
  expect(res.headers["x-request-id"]).toBe("e2e-hygiene-1");
});
