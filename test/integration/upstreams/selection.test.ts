// Which upstream a route's requests go to, with which path: upstream per
// route, ORIGIN_URL for the rest, strip_prefix, the upstream's own timeout.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

const PORTCULLIS = {
  upstreams: {
    billing: { url: "https://billing.internal/v2/" },
    slow: { url: "https://slow.internal", timeout_ms: 50 },
  },
  routes: [
    { name: "billing", pattern: "/billing/*", upstream: "billing", strip_prefix: "/billing" },
    { name: "billing-raw", pattern: "/raw-billing/*", upstream: "billing" },
    { name: "tenant", pattern: "/t/:tenant/billing/*", upstream: "billing", strip_prefix: "/t/:tenant" },
    { name: "slow", pattern: "/slow/*", upstream: "slow" },
  ],
};

describe("choosing the upstream per route", () => {
  it("sends a route's requests to its upstream and the rest to ORIGIN_URL", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    expect((await send("/billing/invoices/7", {}, { PORTCULLIS })).status).toBe(200);
    expect((await send("/users/1", {}, { PORTCULLIS })).status).toBe(200);
    expect(origin.calls.map((c) => c.request.url)).toEqual(["https://billing.internal/v2/invoices/7", "https://origin.test/users/1"]);
  });

  it("sends the whole target when the route strips nothing", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await send("/raw-billing/x?y=1", {}, { PORTCULLIS });
    expect(origin.calls[0]?.request.url).toBe("https://billing.internal/v2/raw-billing/x?y=1");
  });

  it("adds nothing to the log line of an ORIGIN_URL route", async () => {
    mockOrigin(() => new Response("ok", { headers: { "content-length": "2" } }));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await (await send("/users/1", {}, { PORTCULLIS })).text();
    const line = JSON.parse(String(log.mock.calls.at(-1)?.[0])) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(["level", "request_id", "method", "path", "route", "origin_status", "bytes_out", "status", "duration_ms"]);
  });
});

describe("strip_prefix", () => {
  it("takes the prefix off and forwards the rest byte for byte", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await send("/billing/a%3Bb/c%20d?x=1&y=%2B", {}, { PORTCULLIS });
    await send("/billing", {}, { PORTCULLIS });
    await send("/billing?page=2", {}, { PORTCULLIS });
    expect(origin.calls.map((c) => c.request.url)).toEqual([
      "https://billing.internal/v2/a%3Bb/c%20d?x=1&y=%2B",
      "https://billing.internal/v2/",
      "https://billing.internal/v2/?page=2",
    ]);
  });

  it("takes the segments the route matched, however the client spelled them", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    await send("/Bill%69ng/x", {}, { PORTCULLIS });
    await send("/t/acme/billing/x", {}, { PORTCULLIS });
    expect(origin.calls.map((c) => c.request.url)).toEqual(["https://billing.internal/v2/x", "https://billing.internal/v2/billing/x"]);
  });
});

describe("an upstream's timeout_ms", () => {
  it("is the deadline of the routes that use it", async () => {
    mockOrigin(() => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response("late")), 300)));
    const res = await send("/slow/x", {}, { PORTCULLIS });
    expect(res.status).toBe(504);
    expect((await readProblem(res)).type).toBe("tag:portcullis.dev,2026:problems/gateway-timeout");
    expect((await send("/users/1", {}, { PORTCULLIS })).status).toBe(200);
  });
});
