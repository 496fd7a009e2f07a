// 200 concurrent requests against a quota of 50 through the real gateway and
// the real Durable Object: exactly 50 reach the origin, with or without leases.
// (All 200 arrive before any answer, so each makes its own object call: no
// request ever waits for another's.)
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";

afterEach(() => {
  vi.restoreAllMocks();
});

function config(lease?: number) {
  return {
    rate_limits: { fifty: { quota: 50, window_seconds: 60, key: "ip", ...(lease === undefined ? {} : { lease }) } },
    defaults: { rate_limits: ["fifty"] },
  };
}

async function flood(ip: string, vars: Record<string, unknown>): Promise<number[]> {
  const responses = await Promise.all(Array.from({ length: 200 }, () => send("/items", { headers: { "cf-connecting-ip": ip } }, vars)));
  return responses.map((r) => r.status);
}

describe("concurrent requests", () => {
  it("admit exactly the quota", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const statuses = await flood("198.51.100.50", { PORTCULLIS: config() });
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(150);
    expect(origin.calls).toHaveLength(50);
  });

  it("admit exactly the quota with leases", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const statuses = await flood("198.51.100.51", { PORTCULLIS: config(10) });
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(150);
    expect(origin.calls).toHaveLength(50);
  });
});
