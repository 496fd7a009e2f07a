import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../helpers/gateway";
import { readProblem } from "../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

const config = {
  PORTCULLIS: {
    problem_base_url: "https://docs.example.com/problems/",
    max_url_length: 64,
    max_header_bytes: 2048,
    routes: [
      { pattern: "/scim/v2/*", methods: ["GET", "POST", "PATCH"], max_body_bytes: 800000, accept: ["application/scim+json", "application/json"] },
    ],
  },
};

describe("405 Method Not Allowed", () => {
  it("lists the route's methods in Allow and never calls the origin", async () => {
    const origin = mockOrigin(() => new Response("no"));
    const res = await send("/scim/v2/Users", { method: "DELETE" }, config);
    const problem = await readProblem(res);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, POST, PATCH, HEAD");
    expect(problem).toMatchObject({
      type: "https://docs.example.com/problems/method-not-allowed",
      title: "Method not allowed",
      instance: "/scim/v2/Users",
      detail: "DELETE is not allowed here. Allowed methods: GET, POST, PATCH, HEAD.",
    });
    expect(problem.request_id).toBe(res.headers.get("x-request-id"));
    expect(origin.calls).toHaveLength(0);
  });
});

describe("413 Content Too Large by Content-Length", () => {
  it("answers before contacting the origin", async () => {
    const origin = mockOrigin(() => new Response("no"));
    const res = await send("/scim/v2/Users", { method: "POST", headers: { "content-type": "application/scim+json" }, body: "x".repeat(800001) }, config);
    const problem = await readProblem(res);
    expect(res.status).toBe(413);
    expect(problem.detail).toBe("The request body exceeds this route's limit of 800000 bytes.");
    expect(origin.calls).toHaveLength(0);
  });

  it("lets a body of exactly the limit through", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/scim/v2/Users", { method: "POST", headers: { "content-type": "application/scim+json" }, body: "x".repeat(800000) }, config);
    expect(res.status).toBe(200);
    expect(origin.calls[0]?.body.byteLength).toBe(800000);
  });
});

describe("415 Unsupported Media Type", () => {
  it("rejects a body type the route does not accept and says what it accepts", async () => {
    const res = await send("/scim/v2/Users", { method: "POST", headers: { "content-type": "text/xml" }, body: "<a/>" }, config);
    const problem = await readProblem(res);
    expect(res.status).toBe(415);
    expect(res.headers.get("accept")).toBe("application/scim+json, application/json");
    expect(res.headers.get("accept-post")).toBe("application/scim+json, application/json");
    expect(problem.detail).toBe("The request body's Content-Type is not accepted here. Accepted: application/scim+json, application/json.");
  });

  it("rejects a body with no Content-Type, and sends Accept-Patch for PATCH", async () => {
    const res = await send("/scim/v2/Users/1", { method: "PATCH", body: new Uint8Array([1, 2]) }, config);
    await readProblem(res);
    expect(res.status).toBe(415);
    expect(res.headers.get("accept-patch")).toBe("application/scim+json, application/json");
  });

  it("accepts case and parameter variants", async () => {
    mockOrigin(() => new Response("ok"));
    const res = await send("/scim/v2/Users", { method: "POST", headers: { "content-type": "Application/SCIM+JSON; charset=UTF-8" }, body: "{}" }, config);
    expect(res.status).toBe(200);
  });
});

describe("414 and 431", () => {
  it("answers 414 for an over-long request target", async () => {
    const res = await send(`/x?${"a".repeat(100)}`, {}, config);
    await readProblem(res);
    expect(res.status).toBe(414);
  });

  it("answers 431 for over-large header fields", async () => {
    const res = await send("/x", { headers: { "x-filler": "a".repeat(3000) } }, config);
    await readProblem(res);
    expect(res.status).toBe(431);
  });
});

describe("400 for broken framing", () => {
  it("rejects conflicting Content-Length values", async () => {
    const origin = mockOrigin(() => new Response("no"));
    const req = new Request("https://gateway.test/", { method: "POST", body: "abc" });
    const headers = new Headers(req.headers);
    headers.set("content-length", "3, 4");
    const res = await send("/x", { method: "POST", headers, body: "abc" }, config);
    const problem = await readProblem(res);
    expect(res.status).toBe(400);
    expect(problem.type).toBe("https://docs.example.com/problems/invalid-request");
    expect(origin.calls).toHaveLength(0);
  });
});

describe("404 for unmatched paths", () => {
  it("answers 404 when unmatched paths are not proxied", async () => {
    const res = await send("/elsewhere", {}, { PORTCULLIS: { unmatched: "not_found", routes: [{ pattern: "/api/*" }] } });
    const problem = await readProblem(res);
    expect(res.status).toBe(404);
    expect(problem.detail).toBe("No route is configured for /elsewhere.");
  });
  it("names a path with characters RFC 3986 does not allow as a valid instance", async () => {
    // The runtime's URL parser keeps |, ^, [ and ] as they are; the problem must still validate.
    const res = await send("/a|b^[c]", {}, { PORTCULLIS: { unmatched: "not_found", routes: [{ pattern: "/api/*" }] } });
    const problem = await readProblem(res);
    expect(res.status).toBe(404);
    expect(problem.instance).toBe("/a%7Cb%5E%5Bc%5D");
  });
});

describe("HEAD requests", () => {
  it("get the problem's status and headers with no body", async () => {
    const res = await send("/scim/v2/Users", { method: "HEAD", headers: { "x-filler": "a".repeat(3000) } }, config);
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.text()).toBe("");
  });
});
