// Hostile requests against the real bundled gateway in workerd, over raw TCP
// where an HTTP client would refuse to send them. The origin sits behind a base
// path (/v1) and records everything it receives, so each test can say exactly
// what got through. Some malformed framing never reaches the Worker: workerd's
// own HTTP parser answers first (with its plain-text 400/431/500), and the
// tests assert that too. In production, Cloudflare's edge parses client
// requests instead of workerd, so those answers may differ there.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGateway, startOrigin, type RunningGateway, type RunningOrigin } from "./harness";
import { httpRequest } from "./http-client";
import { rawExchange, type RawExchange } from "./raw-http";

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The request body ended as its framing said; false if the connection died mid-body. */
  complete: boolean;
}

const API_KEY = "pcl_hostile-input-test-key-0123456789abcdefghijkl";
const DIGEST = createHash("sha256").update(API_KEY).digest("hex");
const CONFIG = {
  max_url_length: 1024,
  max_header_bytes: 8192,
  auth: { keys: { [DIGEST]: { consumer: "hostile-test", scopes: ["admin"] } } },
  routes: [
    { pattern: "/public/*", methods: ["GET", "POST"], max_body_bytes: 1024 },
    { pattern: "/users/:id", methods: ["GET"] },
    { pattern: "/admin/*", auth: "api_key", scopes: ["admin"] },
    { pattern: "/ops", auth: "api_key", scopes: ["admin"] },
    { pattern: "/keys/:id", auth: "api_key", scopes: ["admin"] },
  ],
};

let origin: RunningOrigin;
let strict: RunningGateway; // unmatched = "not_found"
let lenient: RunningGateway; // unmatched = "proxy" (the default)
let received: Received[] = [];

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    const chunks: Buffer[] = [];
    const record = (complete: boolean) =>
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("latin1"), complete });
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      record(true);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ url: req.url }));
    });
    req.on("error", () => record(false));
  });
  strict = await startGateway(`${origin.url}/v1`, { ...CONFIG, unmatched: "not_found" });
  lenient = await startGateway(`${origin.url}/v1`, CONFIG);
});

afterAll(async () => {
  await strict?.dispose();
  await lenient?.dispose();
  await origin?.close();
});

beforeEach(() => {
  received = [];
});

/** Lets requests still in flight to the origin land before asserting on `received`. */
const settle = () => new Promise((r) => setTimeout(r, 30));

const request = (target: string, headers: string[] = [], body = "") =>
  `${target.includes(" HTTP/") ? target : `GET ${target} HTTP/1.1`}\r\nHost: gateway.test\r\n${headers.map((h) => `${h}\r\n`).join("")}\r\n${body}`;

function onlyResponse(exchange: RawExchange) {
  expect(exchange.responses).toHaveLength(1);
  const [res] = exchange.responses;
  if (res === undefined) throw new Error("no response");
  return res;
}

function expectNoLeak(text: string): void {
  expect(text).not.toContain(new URL(origin.url).host);
  expect(text).not.toMatch(/\/v1\b|\bat \S+ \(|kj\/|workerd|TypeError|RangeError/);
}

describe("framing that workerd refuses before the Worker runs", () => {
  // workerd's HTTP parser (kj-http) throws on these and answers a bare 500; Cloudflare's edge answers 400.
  it.each([
    ["a non-numeric Content-Length", ["Content-Length: abc"], "hello"],
    ["two different Content-Lengths", ["Content-Length: 5", "Content-Length: 6"], "hello!"],
    ["the same Content-Length twice", ["Content-Length: 5", "Content-Length: 5"], "hello"],
    ["a Content-Length list", ["Content-Length: 5, 5"], "hello"],
    ["a negative Content-Length", ["Content-Length: -1"], "hello"],
    ["a signed Content-Length", ["Content-Length: +5"], "hello"],
    ["an unknown Transfer-Encoding", ["Transfer-Encoding: xchunked"], "5\r\nhello\r\n0\r\n\r\n"],
    ["chunked not last", ["Transfer-Encoding: chunked, identity"], "5\r\nhello\r\n0\r\n\r\n"],
  ])("%s: workerd's own 500, closed, nothing at the origin", async (_name, headers, body) => {
    const exchange = await rawExchange(strict.url, request("POST /public/x HTTP/1.1", headers, body), { lingerMs: 100 });
    const res = onlyResponse(exchange);
    expect(res.status).toBe(500);
    expect(res.body).toBe("Internal Server Error");
    expect(exchange.closed).toBe(true);
    await settle();
    expect(received).toEqual([]);
  });

  it("a NUL byte in a header value: workerd's own 400, nothing at the origin", async () => {
    const exchange = await rawExchange(strict.url, request("/public/x", ["X-Note: a\u0000b"]));
    expect(onlyResponse(exchange).status).toBe(400);
    await settle();
    expect(received).toEqual([]);
  });

  it.each(["*", "../public/x", "http://evil.example/public/x"])("request target %s (not origin-form): workerd's own 500, nothing at the origin", async (target) => {
    const exchange = await rawExchange(strict.url, request(`GET ${target} HTTP/1.1`));
    expect(onlyResponse(exchange).status).toBe(500);
    await settle();
    expect(received).toEqual([]);
  });
});

describe("framing the gateway answers", () => {
  it.each([
    ["Content-Length before Transfer-Encoding", ["Content-Length: 44", "Transfer-Encoding: chunked"]],
    ["Transfer-Encoding before Content-Length", ["Transfer-Encoding: chunked", "Content-Length: 3"]],
  ])("%s, with a request smuggled in the body: one 400 problem, and the origin sees neither", async (_name, headers) => {
    const smuggled = "0\r\n\r\nGET /public/smuggled HTTP/1.1\r\nHost: gateway.test\r\n\r\n";
    const exchange = await rawExchange(strict.url, request("POST /public/x HTTP/1.1", headers, smuggled), { lingerMs: 300 });
    const res = onlyResponse(exchange);
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(res.body)).toMatchObject({ type: "tag:portcullis.dev,2026:problems/invalid-request", status: 400 });
    expectNoLeak(res.body);
    await settle();
    expect(received).toEqual([]);
  });

  it.each([
    ["a declared length", ["Content-Length: 2000"], "x".repeat(2000)],
    ["a chunked body", ["Transfer-Encoding: chunked"], `7d0\r\n${"x".repeat(2000)}\r\n0\r\n\r\n`],
  ])("413 for %s over the route's 1024 bytes; the origin gets no complete request", async (_name, headers, body) => {
    const res = onlyResponse(await rawExchange(strict.url, request("POST /public/x HTTP/1.1", headers, body)));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ type: "tag:portcullis.dev,2026:problems/content-too-large" });
    await settle();
    expect(received.filter((r) => r.complete)).toEqual([]);
  });

  it.each([
    ["obsolete line folding", ["X-Folded: a", " b", "Content-Length: 5"], "hello"],
    ["whitespace before the colon", ["Transfer-Encoding : chunked"], "5\r\nhello\r\n0\r\n\r\n"],
    ["a repeated Transfer-Encoding", ["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], "5\r\nhello\r\n0\r\n\r\n"],
  ])("%s: workerd accepts it, and the origin gets one cleanly re-framed request", async (_name, headers, body) => {
    const res = onlyResponse(await rawExchange(strict.url, request("POST /public/x HTTP/1.1", headers, body)));
    expect(res.status).toBe(200);
    await settle();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ url: "/v1/public/x", body: "hello", complete: true });
  });

  // A chunked upload is counted by hand (src/proxy/byte-counter.ts); a failure of
  // the client's body must abort the upstream body, never end it cleanly.
  it("a malformed chunk: the origin never receives the truncated body as a complete request", async () => {
    await rawExchange(strict.url, request("POST /public/x HTTP/1.1", ["Transfer-Encoding: chunked"], "5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n"), { waitMs: 500 });
    await settle();
    expect(received.filter((r) => r.complete)).toEqual([]);
  });

  it("a client that disconnects mid-upload: the origin never receives the truncated body as a complete request", async () => {
    await rawExchange(strict.url, request("POST /public/x HTTP/1.1", ["Transfer-Encoding: chunked"], "5\r\nhello\r\n"), { waitMs: 300 });
    await new Promise((r) => setTimeout(r, 500));
    expect(received.filter((r) => r.complete)).toEqual([]);
  });
});

describe("sizes", () => {
  it("414 problem for a target over max_url_length; workerd's own 431 far beyond it", async () => {
    const over = onlyResponse(await rawExchange(strict.url, request(`/public/${"a".repeat(1100)}`)));
    expect(over.status).toBe(414);
    expect(over.headers["content-type"]).toBe("application/problem+json");
    const huge = onlyResponse(await rawExchange(strict.url, request(`/public/${"a".repeat(200_000)}`)));
    expect(huge.status).toBe(431);
    await settle();
    expect(received).toEqual([]);
  });

  it("431 problem for headers over max_header_bytes, one large or many small; workerd's own 431 far beyond", async () => {
    const large = onlyResponse(await rawExchange(strict.url, request("/public/x", [`X-Big: ${"b".repeat(9000)}`])));
    expect(large.status).toBe(431);
    expect(large.headers["content-type"]).toBe("application/problem+json");
    const many = onlyResponse(await rawExchange(strict.url, request("/public/x", Array.from({ length: 2000 }, (_, i) => `X-H${i}: v`))));
    expect(many.status).toBe(431);
    expect(many.headers["content-type"]).toBe("application/problem+json");
    const huge = onlyResponse(await rawExchange(strict.url, request("/public/x", [`X-Big: ${"b".repeat(200_000)}`])));
    expect(huge.status).toBe(431);
    await settle();
    expect(received).toEqual([]);
  });
});

describe("header injection", () => {
  // workerd ends a header line at a bare CR or LF (RFC 9112 §2.2 allows LF; a bare
  // CR should be rejected or replaced by SP). Either way the result is an ordinary
  // header field, which the gateway's hygiene treats like any other.
  it.each([
    ["a bare CR", "X-Note: a\rX-Consumer-Id: admin"],
    ["a bare LF", "X-Note: a\nX-Consumer-Id: admin"],
    ["a bare CR before X-Forwarded-For", "X-Note: a\rX-Forwarded-For: 6.6.6.6"],
  ])("%s cannot smuggle an identity or forwarding header to the origin", async (_name, line) => {
    const res = onlyResponse(await rawExchange(strict.url, request("/public/x", [line])));
    expect(res.status).toBe(200);
    await settle();
    expect(received).toHaveLength(1);
    expect(received[0]?.headers["x-consumer-id"]).toBeUndefined();
    expect(received[0]?.headers["x-forwarded-for"]).toBe("127.0.0.1");
  });

  it.each(["<script>alert(1)</script>", "a b", "x".repeat(129), "id%0d%0aSet-Cookie:%20x=1"])(
    "an X-Request-Id of %s is replaced by a fresh UUID, in the response and at the origin",
    async (id) => {
      const res = await httpRequest(`${strict.url}/public/x`, { headers: { "x-request-id": id } });
      expect(res.status).toBe(200);
      const minted = res.headers["x-request-id"];
      expect(minted).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(received[0]?.headers["x-request-id"]).toBe(minted);
      expect(res.headers["set-cookie"]).toBeUndefined();
    },
  );

  it("a malformed traceparent starts a new trace instead of being forwarded", async () => {
    await httpRequest(`${strict.url}/public/x`, { headers: { traceparent: "00-zzzz-evil-01" } });
    expect(received[0]?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});

// [path, status from the strict gateway, what the origin then receives (null: nothing)]
const PATH_TRICKS: [string, number, string | null][] = [
  // Spellings servers read differently are refused (src/routing/canonical-path.ts):
  // encoded separators, double encoding, empty segments, path parameters, encoded controls.
  ["/public/..%2fadmin/secret", 400, null],
  ["/public/..%5cadmin/secret", 400, null],
  ["/public/..%252fadmin", 400, null],
  ["/public/%252e%252e/admin", 400, null],
  ["/public//..//admin/secret", 400, null],
  ["//admin/secret", 400, null],
  ["/admin%2fsecret", 400, null],
  ["/admin;x/secret", 400, null],
  ["/public/%00", 400, null],
  // Dot segments (also percent-encoded, and with backslashes) are resolved by the URL parser
  // before routing, so they reach the route they really name: here the protected one.
  ["/public/%2e%2e/admin/secret", 401, null],
  ["/public/%2E%2E/admin/secret", 401, null],
  ["/public\\..\\admin\\secret", 401, null],
  ["/public/../../../../etc/passwd", 404, null],
  ["/public/%2e%2e/%2e%2e/etc/passwd", 404, null],
  ["/public/..\\..\\etc\\passwd", 404, null],
  ["/public/./x", 200, "/v1/public/x"],
  // Equivalent spellings of the protected prefix match it (RFC 3986 §6.2.2, and
  // case-insensitively): they need the key like /admin itself.
  ["/%61dmin/secret", 401, null],
  ["/ADMIN/secret", 401, null],
  ["/admin", 401, null],
  // Exact and parameter patterns also match with one trailing slash, as Express,
  // Spring and Rails serve /ops/ as /ops; a "." segment resolves to that slash.
  ["/ops", 401, null],
  ["/ops/", 401, null],
  ["/ops/.", 401, null],
  ["/ops/%2e", 401, null],
  ["/OPS/", 401, null],
  ["/ops/./", 401, null],
  ["/ops//", 400, null],
  ["/ops;x", 400, null],
  ["/keys/1/", 401, null],
  ["/keys/1/.", 401, null],
  // Queries and odd bytes travel as they are, under the base path.
  ["/public/x?next=../../admin", 200, "/v1/public/x?next=../../admin"],
  ["/public/%", 200, "/v1/public/%"],
];

describe("path tricks cannot leave the route or the origin's base path", () => {
  it.each(PATH_TRICKS)("%s → %i", async (path, status, upstream) => {
    const res = onlyResponse(await rawExchange(strict.url, request(path)));
    expect(res.status).toBe(status);
    if (res.headers["content-type"] === "application/problem+json") expectNoLeak(res.body);
    await settle();
    expect(received.map((r) => r.url)).toEqual(upstream === null ? [] : [upstream]);
  });

  it("with unmatched paths proxied, every trick still lands under /v1/, and /admin/* only with the key", async () => {
    for (const [path] of PATH_TRICKS) await rawExchange(lenient.url, request(path));
    await rawExchange(lenient.url, request("/admin/secret", [`X-API-Key: ${API_KEY}`]));
    await settle();
    expect(received.length).toBeGreaterThanOrEqual(PATH_TRICKS.filter(([, status]) => status === 200).length + 1);
    for (const r of received) expect(r.url.startsWith("/v1/")).toBe(true);
    // The gateway's own reading of "/admin/*": every such request carried the identity it set.
    const admin = received.filter((r) => /^\/v1\/admin(\/|$)/.test(r.url));
    expect(admin.map((r) => r.headers["x-consumer-id"])).toEqual(["hostile-test"]);
    // No spelling of the exact routes got through without the key.
    expect(received.filter((r) => /^\/v1\/(ops|keys)/i.test(r.url))).toEqual([]);
  });
});

describe("spoofed forwarding and identity headers", () => {
  const spoofed = {
    "x-forwarded-for": "6.6.6.6",
    "x-real-ip": "6.6.6.6",
    forwarded: "for=6.6.6.6;host=evil.example",
    "x-forwarded-host": "evil.example",
    "x-consumer-id": "admin",
    "x-consumer-scopes": "admin root",
    "x-auth-subject": "root",
  };

  it("on a public route: forwarding headers are the gateway's own, identity headers are gone", async () => {
    const res = await httpRequest(`${strict.url}/public/x`, { headers: spoofed });
    expect(res.status).toBe(200);
    const seen = received[0]?.headers ?? {};
    expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen["x-real-ip"]).toBeUndefined();
    expect(seen.forwarded).toMatch(/^for=127\.0\.0\.1;proto=http;host=/);
    expect(seen["x-forwarded-host"]).toBe(new URL(strict.url).host);
    for (const name of ["x-consumer-id", "x-consumer-scopes", "x-auth-subject"]) expect(seen[name]).toBeUndefined();
  });

  it("on an authenticated route: the identity is the key's, never merged with the client's claim", async () => {
    const res = await httpRequest(`${strict.url}/admin/secret`, { headers: { ...spoofed, "x-api-key": API_KEY } });
    expect(res.status).toBe(200);
    const seen = received[0]?.headers ?? {};
    expect(seen["x-consumer-id"]).toBe("hostile-test");
    expect(seen["x-consumer-scopes"]).toBe("admin");
    expect(seen["x-auth-subject"]).toBeUndefined();
    expect(seen["x-api-key"]).toBeUndefined();
  });

  it("identity and credential headers spelled with underscores never reach the origin", async () => {
    const lines = ["X_Consumer_Id: root", "x_consumer_scopes: admin", "X_Auth_Subject: root", `X_API_Key: ${API_KEY}`, "X_Forwarded_For: 6.6.6.6"];
    const res = onlyResponse(await rawExchange(strict.url, request("/admin/secret", [...lines, `X-API-Key: ${API_KEY}`])));
    expect(res.status).toBe(200);
    await settle();
    const seen = received[0]?.headers ?? {};
    expect(seen["x-consumer-id"]).toBe("hostile-test");
    for (const name of ["x_consumer_id", "x_consumer_scopes", "x_auth_subject", "x_api_key", "x_forwarded_for"]) expect(seen[name], name).toBeUndefined();
  });

  it("identity headers in odd case and repeated, over raw TCP, are removed as well", async () => {
    const lines = ["X-CONSUMER-ID: admin", "x-Consumer-Id: root", "X-Consumer-Scopes: admin", "X-Auth-Subject: root"];
    const res = onlyResponse(await rawExchange(strict.url, request("/public/x", lines)));
    expect(res.status).toBe(200);
    await settle();
    const seen = received[0]?.headers ?? {};
    for (const name of ["x-consumer-id", "x-consumer-scopes", "x-auth-subject"]) expect(seen[name]).toBeUndefined();
  });
});
