// A second Worker bound to the gateway as a service in the same workerd (as
// [[services]] does on Cloudflare): what it is sent, and its answers
// normalized like any origin's. A gateway whose Worker lacks the binding
// fails loudly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest, problemOf } from "./http-client";

const ACCOUNTS = { name: "accounts", scriptPath: new URL("./workers/accounts.mjs", import.meta.url).pathname };
const PORTCULLIS = {
  upstreams: {
    accounts: { service: "ACCOUNTS" },
    ledger: { service: "LEDGER", url: "https://ledger.internal/api" },
  },
  routes: [
    { pattern: "/accounts/*", upstream: "accounts", strip_prefix: "/accounts" },
    { pattern: "/ledger/*", upstream: "ledger", strip_prefix: "/ledger" },
    { pattern: "/ledger-as-client/*", upstream: "ledger", strip_prefix: "/ledger-as-client", preserve_host: true },
  ],
};

let origin: RunningOrigin;
let originHits = 0;
let gateway: RunningGateway;

beforeAll(async () => {
  origin = await startOrigin((_req, res) => {
    originHits++;
    res.end("the public origin");
  });
  gateway = await startGateway(origin.url, PORTCULLIS, { workers: [ACCOUNTS], serviceBindings: { ACCOUNTS: "accounts", LEDGER: "accounts" } });
});

afterAll(async () => {
  await gateway?.dispose();
  await origin?.close();
});

const json = (body: Buffer) => JSON.parse(body.toString()) as Record<string, unknown>;

describe("a Worker bound as a service", () => {
  it("gets the request, path stripped, with the client's URL and Host when it has no url", async () => {
    const res = await httpRequest(`${gateway.url}/accounts/me?x=1`, { method: "POST", body: Buffer.from("hello") });
    expect(res.status).toBe(200);
    const seen = json(res.body);
    const host = new URL(gateway.url).host;
    expect(seen).toMatchObject({ url: `http://${host}/me?x=1`, host, forwardedHost: host, requestId: res.headers["x-request-id"], body: "hello" });
    expect(res.headers.via).toBe("1.1 portcullis");
    expect(originHits).toBe(0);
  });

  it("sees its url's host, or with preserve_host the client's, on the url's base path", async () => {
    const own = json((await httpRequest(`${gateway.url}/ledger/me`)).body);
    expect(own).toMatchObject({ url: "https://ledger.internal/api/me", host: "ledger.internal" });
    const client = json((await httpRequest(`${gateway.url}/ledger-as-client/me`)).body);
    const host = new URL(gateway.url).host;
    expect(client).toMatchObject({ url: `https://${host}/api/me`, host });
  });

  it("has its error normalized into problem details like any origin's", async () => {
    const res = await httpRequest(`${gateway.url}/accounts/taken`);
    expect(res.status).toBe(409);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(problemOf(res)).toMatchObject({ status: 409, detail: "The email is already taken.", code: "EmailTaken" });
  });

  it("keeps a 5xx's text and stack frames from the client", async () => {
    const res = await httpRequest(`${gateway.url}/accounts/crash`);
    expect(res.status).toBe(500);
    expect(res.body.toString()).not.toMatch(/srv|TypeError/);
  });

  it("answers 502 when the Worker throws, without its words", async () => {
    const res = await httpRequest(`${gateway.url}/accounts/throw`);
    expect(res.status).toBe(502);
    expect(problemOf(res).type).toBe("tag:portcullis.dev,2026:problems/bad-gateway");
    expect(res.body.toString()).not.toMatch(/blew up|srv/);
  });

  it("leaves routes without an upstream on ORIGIN_URL", async () => {
    const res = await httpRequest(`${gateway.url}/other`);
    expect(res.body.toString()).toBe("the public origin");
    expect(originHits).toBe(1);
  });
});

describe("a service binding the Worker lacks", () => {
  it("is a 500 problem, never a silent fallback to the public network", async () => {
    const unbound = await startGateway(origin.url, PORTCULLIS);
    try {
      const before = originHits;
      const res = await httpRequest(`${unbound.url}/accounts/me`);
      expect(res.status).toBe(500);
      expect(problemOf(res).type).toBe("tag:portcullis.dev,2026:problems/internal-error");
      expect(res.body.toString()).not.toContain("ACCOUNTS");
      expect(originHits).toBe(before);
    } finally {
      await unbound.dispose();
    }
  });
});
