// When the gateway fetches the issuer's JWKS again: unknown kids, rotation, outages.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { jwksAuth, signingKey, token, withJwks, type SigningKey } from "../../helpers/auth";
import { mockOrigin, send, type MockOrigin } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

// A key-set URL per test: the cache lives for the isolate, keyed by URL.
const setup = (name: string) => {
  const url = `https://issuer.test/${name}/jwks.json`;
  const vars = { PORTCULLIS: { auth: jwksAuth({ jwks_url: url, jwks_cooldown_seconds: 30 }), routes: [{ pattern: "/api", auth: "jwt" }] } };
  return {
    url,
    call: async (key: SigningKey) => send("/api", { headers: { authorization: `Bearer ${await token(key)}` } }, vars),
    fetches: (origin: MockOrigin) => origin.calls.filter((c) => c.request.url === url).length,
  };
};

describe("JWKS refresh", () => {
  it("refetches once for an unknown kid, then not again within the cooldown", async () => {
    const { url, call, fetches } = setup("unknown-kid");
    const known = await signingKey("ES256", "known");
    const origin = mockOrigin(withJwks(() => [known], url));
    expect((await call(known)).status).toBe(200);
    expect(fetches(origin)).toBe(1);

    vi.advanceTimersByTime(30_000);
    const first = await call(await signingKey("ES256", "stranger-1"));
    expect(first.status).toBe(401);
    expect(first.headers.get("www-authenticate")).toBe('Bearer realm="portcullis", error="invalid_token"');
    await readProblem(first);
    expect(fetches(origin)).toBe(2);

    expect((await call(await signingKey("ES256", "stranger-2"))).status).toBe(401);
    expect(fetches(origin)).toBe(2);
  });

  it("picks up a rotated key without a restart and drops the retired one", async () => {
    const { url, call, fetches } = setup("rotation");
    const old = await signingKey("RS256", "2026-01");
    const next = await signingKey("RS256", "2026-02");
    let published = [old];
    const origin = mockOrigin(withJwks(() => published, url));
    expect((await call(old)).status).toBe(200);

    published = [next];
    vi.advanceTimersByTime(31_000);
    expect((await call(next)).status).toBe(200);
    expect((await call(old)).status).toBe(401);
    expect(fetches(origin)).toBe(2);
  });

  it("answers 503 with Retry-After while the key set cannot be fetched, without retrying within the cooldown", async () => {
    const { url, call, fetches } = setup("outage");
    const key = await signingKey("ES256", "k");
    let up = false;
    const origin = mockOrigin((request) => (request.url === url && !up ? new Response("down", { status: 503 }) : withJwks(() => [key], url)(request)));
    const res = await call(key);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(JSON.stringify(await readProblem(res))).not.toContain("issuer.test");
    up = true;
    expect((await call(key)).status).toBe(503);
    expect(fetches(origin)).toBe(1);
    vi.advanceTimersByTime(30_000);
    expect((await call(key)).status).toBe(200);
  });
});
