// Upstreams reached through a binding's fetch: a Worker bound as a service
// (with the Host it sees), an mTLS certificate binding used with a url; the
// answers normalized like any origin's; a missing binding a loud 500.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../../helpers/gateway";
import { readProblem } from "../../helpers/problem-schema";
import { fetchBinding, logLines } from "../../helpers/upstreams";

afterEach(() => {
  vi.restoreAllMocks();
});

const PORTCULLIS = {
  upstreams: {
    accounts: { service: "ACCOUNTS" },
    ledger: { service: "LEDGER", url: "https://ledger.internal/api" },
    partner: { mtls_certificate: "PARTNER_CERT", url: "https://partner.example.com/v1" },
  },
  routes: [
    { pattern: "/accounts/*", upstream: "accounts", strip_prefix: "/accounts" },
    { pattern: "/ledger/*", upstream: "ledger" },
    { pattern: "/ledger-as-client/*", upstream: "ledger", preserve_host: true },
    { pattern: "/partner/*", upstream: "partner", strip_prefix: "/partner" },
  ],
};

describe("a service binding", () => {
  it("gets the request through env[binding].fetch, never the public network", async () => {
    const origin = mockOrigin(() => new Response("public network"));
    const accounts = fetchBinding(() => new Response("from the bound Worker", { headers: { "x-worker": "accounts" } }));
    const res = await send("/accounts/me?x=1", { method: "POST", body: "hi", headers: { "content-type": "text/plain" } }, { PORTCULLIS, ACCOUNTS: accounts.binding });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("from the bound Worker");
    expect(res.headers.get("x-worker")).toBe("accounts");
    expect(res.headers.get("via")).toBe("1.1 portcullis");
    expect(origin.calls).toHaveLength(0);
    const call = accounts.calls[0];
    expect(call?.request.method).toBe("POST");
    expect(call?.body).toBe("hi");
    expect(call?.request.headers.get("x-forwarded-host")).toBe("gateway.test");
  });

  it("without a url, sees the client's URL and Host, as if called directly", async () => {
    const accounts = fetchBinding(() => new Response("ok"));
    await send("/accounts/me?x=1", {}, { PORTCULLIS, ACCOUNTS: accounts.binding });
    expect(accounts.calls[0]?.request.url).toBe("https://gateway.test/me?x=1");
    expect(accounts.calls[0]?.request.headers.get("host")).toBe("gateway.test");
  });

  it("with a url, sees that URL and its Host; with preserve_host, the client's host on the url's path", async () => {
    const ledger = fetchBinding(() => new Response("ok"));
    await send("/ledger/entries", {}, { PORTCULLIS, LEDGER: ledger.binding });
    await send("/ledger-as-client/entries", {}, { PORTCULLIS, LEDGER: ledger.binding });
    expect(ledger.calls.map((c) => [c.request.url, c.request.headers.get("host")])).toEqual([
      ["https://ledger.internal/api/ledger/entries", "ledger.internal"],
      ["https://gateway.test/api/ledger-as-client/entries", "gateway.test"],
    ]);
  });

  it("has its errors normalized like any origin's, 5xx text kept for the log", async () => {
    const accounts = fetchBinding((request) =>
      new URL(request.url).pathname === "/taken"
        ? Response.json({ error: { message: "The email is already taken.", code: "EmailTaken" } }, { status: 409 })
        : new Response("Error: boom at handler (/srv/worker.js:12:3)", { status: 500 }),
    );
    const conflict = await send("/accounts/taken", {}, { PORTCULLIS, ACCOUNTS: accounts.binding });
    const problem = await readProblem(conflict);
    expect(conflict.status).toBe(409);
    expect(problem.detail).toBe("The email is already taken.");
    const failed = await send("/accounts/crash", {}, { PORTCULLIS, ACCOUNTS: accounts.binding });
    expect(failed.status).toBe(500);
    expect(JSON.stringify(await readProblem(failed))).not.toContain("worker.js");
  });

  it("answers 502 without the Worker's words when the bound Worker throws", async () => {
    const accounts = { fetch: () => Promise.reject(new Error("boom: secret at /srv/worker.js")) };
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const res = await send("/accounts/me", {}, { PORTCULLIS, ACCOUNTS: accounts });
    const problem = await readProblem(res);
    expect(res.status).toBe(502);
    expect(JSON.stringify(problem)).not.toContain("secret");
    expect(logLines(log).at(-1)).toMatchObject({
      upstream: "accounts",
      upstream_attempts: [{ url: "service:ACCOUNTS", outcome: "no_response", error: "Error: boom: secret at /srv/worker.js" }],
      cause: "origin fetch failed: boom: secret at /srv/worker.js",
    });
  });

  it("fails loudly with a 500 and the binding named in the log when the Worker lacks it", async () => {
    const origin = mockOrigin(() => new Response("public network"));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const res = await send("/accounts/me", {}, { PORTCULLIS });
    const problem = await readProblem(res);
    expect(res.status).toBe(500);
    expect(problem.type).toBe("tag:portcullis.dev,2026:problems/internal-error");
    expect(JSON.stringify(problem)).not.toContain("ACCOUNTS");
    expect(origin.calls).toHaveLength(0);
    const line = logLines(log).at(-1);
    expect(line?.level).toBe("error");
    expect(String(line?.cause)).toContain("env.ACCOUNTS is not a binding with fetch(); add it to [[services]]");
  });
});

describe("an mTLS certificate binding", () => {
  it("fetches the upstream's url through the binding, Host the url's own", async () => {
    const origin = mockOrigin(() => new Response("without a certificate"));
    const cert = fetchBinding(() => new Response("with the certificate"));
    const res = await send("/partner/orders/1", {}, { PORTCULLIS, PARTNER_CERT: cert.binding });
    expect(await res.text()).toBe("with the certificate");
    expect(cert.calls[0]?.request.url).toBe("https://partner.example.com/v1/orders/1");
    expect(cert.calls[0]?.request.headers.has("host")).toBe(false);
    expect(origin.calls).toHaveLength(0);
  });
});
