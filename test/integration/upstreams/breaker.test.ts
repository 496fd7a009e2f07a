// The circuit breaker through the Worker: a URL that failed N times in a row
// is skipped for the cool-down (in this isolate), then probed once; 503 with
// Retry-After while every URL cools down, 502 once something was tried.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";
import { logLines, refused } from "../../helpers/upstreams";

afterEach(() => {
  vi.restoreAllMocks();
});

const upstream = { urls: ["https://a.internal", "https://b.internal"], breaker_failures: 2, breaker_cooldown_seconds: 1 };
const PORTCULLIS = { upstreams: { api: upstream }, defaults: { upstream: "api" } };
const hosts = (origin: ReturnType<typeof mockOrigin>) => origin.calls.map((c) => new URL(c.request.url).host);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("an open breaker", () => {
  it("skips a URL after N consecutive failures, and logs the skip", async () => {
    let aUp = false;
    const origin = mockOrigin((request) => (new URL(request.url).host === "a.internal" && !aUp ? refused() : new Response("ok")));
    await send("/1", {}, { PORTCULLIS });
    await send("/2", {}, { PORTCULLIS });
    aUp = true;
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const res = await send("/3", {}, { PORTCULLIS });
    expect(res.status).toBe(200);
    expect(hosts(origin)).toEqual(["a.internal", "b.internal", "a.internal", "b.internal", "b.internal"]);
    await res.text();
    await vi.waitFor(() => expect(logLines(log).at(-1)?.upstream_attempts).toMatchObject([
      { url: "https://a.internal", outcome: "skipped_open" },
      { url: "https://b.internal", outcome: "ok", status: 200 },
    ]));
  });

  it("answers 503 with Retry-After while every URL cools down, without asking any", async () => {
    const origin = mockOrigin(refused);
    for (const path of ["/1", "/2"]) expect((await send(path, {}, { PORTCULLIS })).status).toBe(502);
    const res = await send("/3", {}, { PORTCULLIS });
    const problem = await readProblem(res);
    expect(res.status).toBe(503);
    expect(problem.type).toBe("tag:portcullis.dev,2026:problems/service-unavailable");
    expect(res.headers.get("retry-after")).toBe("1");
    expect(origin.calls).toHaveLength(4);
  });

  it("keeps a single-URL upstream's failures apart from ORIGIN_URL, which has no breaker", async () => {
    const single = { upstreams: { api: { url: "https://a.internal", breaker_failures: 1 } }, routes: [{ pattern: "/api/*", upstream: "api" }] };
    const origin = mockOrigin(refused);
    expect((await send("/api/1", {}, { PORTCULLIS: single })).status).toBe(502);
    expect((await send("/api/2", {}, { PORTCULLIS: single })).status).toBe(503);
    for (const path of ["/1", "/2", "/3"]) expect((await send(path, {}, { PORTCULLIS: single })).status).toBe(502);
    expect(hosts(origin)).toEqual(["a.internal", "origin.test", "origin.test", "origin.test"]);
  });
});

describe("half-open", () => {
  it("after the cool-down, one request probes the URL; its success closes the breaker", async () => {
    let aUp = false;
    const origin = mockOrigin((request) => (new URL(request.url).host === "a.internal" && !aUp ? refused() : new Response("ok")));
    await send("/1", {}, { PORTCULLIS });
    await send("/2", {}, { PORTCULLIS });
    await pause(1_050);
    aUp = true;
    await send("/probe", {}, { PORTCULLIS });
    await send("/after", {}, { PORTCULLIS });
    expect(hosts(origin).slice(4)).toEqual(["a.internal", "a.internal"]);
  });

  it("a failed probe opens the breaker for another cool-down; the request still goes on to the next URL", async () => {
    const origin = mockOrigin((request) => (new URL(request.url).host === "a.internal" ? refused() : new Response("ok")));
    await send("/1", {}, { PORTCULLIS });
    await send("/2", {}, { PORTCULLIS });
    await pause(1_050);
    expect((await send("/probe", {}, { PORTCULLIS })).status).toBe(200);
    expect((await send("/after", {}, { PORTCULLIS })).status).toBe(200);
    expect(hosts(origin).slice(4)).toEqual(["a.internal", "b.internal", "b.internal"]);
  });
});
