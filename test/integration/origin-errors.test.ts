import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../helpers/gateway";
import { readProblem } from "../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

const envelope = (status: number, code: string, message: string) =>
  new Response(JSON.stringify({ error: { status, message, code } }), { status, headers: { "content-type": "application/json", "x-powered-by": "Express", "set-cookie": "sid=1" } });

describe("origin errors become problem details", () => {
  it("keeps the origin's status, message and code", async () => {
    mockOrigin(() => envelope(409, "EmailAlreadyExists", "This email is already in use, please try another one."));
    const res = await send("/users", { method: "POST", body: "{}", headers: { "content-type": "application/json", "x-request-id": "req-409" } });
    const problem = await readProblem(res);
    expect(res.status).toBe(409);
    expect(problem).toEqual({
      type: "about:blank",
      title: "Conflict",
      status: 409,
      detail: "This email is already in use, please try another one.",
      instance: "/users",
      request_id: "req-409",
      code: "EmailAlreadyExists",
    });
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("content-length")).toBe(String(new TextEncoder().encode(JSON.stringify(problem)).byteLength));
  });

  it("keeps the headers that carry meaning", async () => {
    mockOrigin(() => new Response("slow down", { status: 429, headers: { "retry-after": "30", "www-authenticate": 'Bearer realm="x"', "content-encoding": "identity", ratelimit: '"o";r=0;t=30', location: "/elsewhere", via: "1.1 internal-lb.corp" } }));
    const res = await send("/x");
    await readProblem(res);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(res.headers.get("ratelimit")).toBe('"o";r=0;t=30');
    // Only where RFC 9110 gives them meaning: a challenge belongs to 401/403.
    expect(res.headers.get("www-authenticate")).toBeNull();
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("via")).toBeNull();
  });

  it.each([
    [401, { "www-authenticate": 'Bearer realm="api", error="invalid_token"' }],
    [403, { "www-authenticate": 'Bearer error="insufficient_scope", scope="orders:write"' }],
    [405, { allow: "GET, HEAD" }],
    [415, { accept: "application/json", "accept-post": "application/json, application/*+json" }],
    [416, { "content-range": "bytes */1234" }],
    [503, { "retry-after": "Wed, 21 Oct 2026 07:28:00 GMT" }],
  ] as const)("keeps on a %i what RFC 9110 says it carries", async (status, headers) => {
    mockOrigin(() => new Response("no", { status, headers }));
    const res = await send("/x");
    await readProblem(res);
    for (const [name, value] of Object.entries(headers)) expect(res.headers.get(name), name).toBe(value);
  });

  it("drops kept headers whose value is malformed or leaks internals", async () => {
    mockOrigin(() => new Response("no", { status: 401, headers: { "www-authenticate": 'Bearer realm="db01.internal.corp:5432"' } }));
    expect((await send("/x")).headers.get("www-authenticate")).toBeNull();
    vi.restoreAllMocks();
    mockOrigin(() => new Response("no", { status: 429, headers: { "retry-after": "soon-ish" } }));
    expect((await send("/x")).headers.get("retry-after")).toBeNull();
  });

  it("keeps only Retry-After on a 5xx whose text is hidden", async () => {
    mockOrigin(() => new Response("down", { status: 503, headers: { "retry-after": "5", ratelimit: '"pool-db7";r=0', "www-authenticate": "Bearer" } }));
    const res = await send("/x");
    await readProblem(res);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("ratelimit")).toBeNull();
  });

  it("leaves responses below 400 untouched", async () => {
    mockOrigin(() => new Response('{"error":{"code":"NotAnError"}}', { status: 200, headers: { "content-type": "application/json" } }));
    const res = await send("/x");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"error":{"code":"NotAnError"}}');
  });

  it("streams success responses without reading them", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new TextEncoder().encode("chunk"));
        if (pulls === 100) controller.close();
      },
    }, { highWaterMark: 0 });
    mockOrigin(() => new Response(body, { status: 201 }));
    const res = await send("/x");
    expect(res.status).toBe(201);
    // At most the chunk in flight in the byte counter's pipe; never the body.
    expect(pulls).toBeLessThanOrEqual(1);
    expect(await res.text()).toBe("chunk".repeat(100));
  });

  it("hides a 5xx's text by default, logs it, and exposes it on a route that asks", async () => {
    const logs = vi.spyOn(console, "log");
    mockOrigin(() => new Response("NullPointerException in OrderService: db-7.internal refused", { status: 500 }));
    const hidden = await readProblem(await send("/orders"));
    expect(JSON.stringify(hidden)).not.toMatch(/NullPointer|db-7/);
    const line = logs.mock.calls.map((c) => String(c[0])).find((l) => l.includes('"origin_detail"')) ?? "";
    expect(JSON.parse(line)).toMatchObject({ status: 500, origin_status: 500, origin_detail: "NullPointerException in OrderService: db-7.internal refused" });

    mockOrigin(() => new Response("Order service is in maintenance until 14:00 UTC.", { status: 503 }));
    const vars = { PORTCULLIS: { routes: [{ pattern: "/orders", expose_server_errors: true }] } };
    const exposed = await readProblem(await send("/orders", {}, vars));
    expect(exposed.detail).toBe("Order service is in maintenance until 14:00 UTC.");
  });

  it("maps origin codes to the operator's problem types, globally and per route", async () => {
    mockOrigin(() => envelope(409, "EmailAlreadyExists", "taken"));
    const vars = {
      PORTCULLIS: {
        errors: { codes: { EmailAlreadyExists: { type: "https://errors.example.com/email-taken", title: "Email already taken" } } },
        routes: [{ pattern: "/v2/*", error_codes: { EmailAlreadyExists: { type: "https://errors.example.com/v2/email-taken" } } }],
      },
    };
    expect(await readProblem(await send("/users", {}, vars))).toMatchObject({ type: "https://errors.example.com/email-taken", title: "Email already taken", code: "EmailAlreadyExists" });
    expect((await readProblem(await send("/v2/users", {}, vars))).type).toBe("https://errors.example.com/v2/email-taken");
  });

  it("never re-normalizes the gateway's own problems", async () => {
    mockOrigin(() => new Promise<Response>(() => {}));
    const problem = await readProblem(await send("/x", {}, { PORTCULLIS: { defaults: { timeout_ms: 20 } } }));
    expect(problem.type).toBe("tag:portcullis.dev,2026:problems/gateway-timeout");
  });
});
