// Real frameworks from npm as origins, each producing its own error output,
// behind the real gateway: the client gets problem details with the origin's
// status, its message, its code and its field errors with pointers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningFrameworkOrigin } from "./origins/index.mjs";
import { startApolloOrigin, startExpressOrigin, startFastifyOrigin, startHapiOrigin, startKoaOrigin, startNestOrigin } from "./origins/index.mjs";
import { expectValidProblem } from "../helpers/problem-schema";
import { startGateway, type RunningGateway } from "./harness";
import { httpRequest, problemOf } from "./http-client";

/** One framework behind one gateway, for the tests of one describe block. */
function behindGateway(start: () => Promise<RunningFrameworkOrigin>): (path: string, init?: { method?: string; body?: string; headers?: Record<string, string> }) => Promise<Record<string, unknown>> {
  let origin: RunningFrameworkOrigin | undefined;
  let gateway: RunningGateway | undefined;
  beforeAll(async () => {
    origin = await start();
    gateway = await startGateway(origin.url, {});
  });
  afterAll(async () => {
    await gateway?.dispose();
    await origin?.close();
  });
  return async (path, init = {}) => {
    if (gateway === undefined) throw new Error("gateway not started");
    const headers = { "x-request-id": "e2e-framework", ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers };
    const res = await httpRequest(`${gateway.url}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : Buffer.from(init.body) });
    expect(res.headers["content-type"]).toBe("application/problem+json");
    const problem = problemOf(res);
    expectValidProblem(problem);
    expect(problem.status).toBe(res.status);
    expect(problem.request_id).toBe("e2e-framework");
    return problem;
  };
}

describe("NestJS with class-validator", () => {
  const send = behindGateway(startNestOrigin);

  it("ValidationPipe: every message kept, each a field error with the property's pointer", async () => {
    const body = JSON.stringify({ email: "nope", password: "short", age: -1, address: { street: "x" }, extra: 1 });
    const problem = await send("/users", { method: "POST", body });
    expect(problem).toMatchObject({ status: 400, title: "Bad Request" });
    expect(problem.errors).toEqual([
      { detail: "property extra should not exist", pointer: "/extra" },
      { detail: "email must be an email", pointer: "/email" },
      { detail: "password must be longer than or equal to 8 characters", pointer: "/password" },
      { detail: "age must not be less than 0", pointer: "/age" },
      { detail: "address.street must be longer than or equal to 2 characters", pointer: "/address/street" },
    ]);
    expect(problem.detail).toBe(
      "property extra should not exist; email must be an email; password must be longer than or equal to 8 characters; age must not be less than 0; address.street must be longer than or equal to 2 characters",
    );
  });

  it("HttpExceptions: the message, never the reason phrase in `error`", async () => {
    expect(await send("/users", { method: "POST", body: `{"email":"taken@example.com","password":"long enough"}` })).toMatchObject({
      status: 409,
      detail: "A user with this email already exists",
    });
    expect(await send("/users/7")).toMatchObject({ status: 404, detail: "User 7 not found" });
  });
});

describe("Apollo Server", () => {
  const send = behindGateway(startApolloOrigin);
  const query = (q: string) => send("/", { method: "POST", body: JSON.stringify({ query: q }), headers: { "apollo-require-preflight": "1" } });

  it("a missing variable: the message and BAD_USER_INPUT", async () => {
    expect(await query("query($id: ID!) { book(id: $id) { title } }")).toMatchObject({
      status: 400,
      detail: 'Variable "$id" of required type "ID!" was not provided.',
      code: "BAD_USER_INPUT",
    });
  });

  it("parse and validation errors keep their codes", async () => {
    expect(await query("{ book(id: 1) { title")).toMatchObject({ status: 400, detail: "Syntax Error: Expected Name, found <EOF>.", code: "GRAPHQL_PARSE_FAILED" });
    expect(await query("{ book(id: 1) { isbn } }")).toMatchObject({ status: 400, detail: 'Cannot query field "isbn" on type "Book".', code: "GRAPHQL_VALIDATION_FAILED" });
  });

  it("a resolver's GraphQLError with an HTTP status: the response path is no request pointer", async () => {
    const problem = await query("{ secret }");
    expect(problem).toMatchObject({ status: 403, detail: "You are not allowed to read the secret", code: "FORBIDDEN" });
    expect(problem.errors).toBeUndefined();
    expect(problem.data).toBeUndefined();
  });
});

describe("Express", () => {
  const send = behindGateway(startExpressOrigin);

  it("its default 404 page, titled only \"Error\": the <pre> is the detail", async () => {
    expect(await send("/nope")).toMatchObject({ status: 404, detail: "Cannot GET /nope" });
  });

  it("a handler's express-validator-style list: msg, path, and a query location", async () => {
    expect(await send("/orders", { method: "POST", body: "{}" })).toMatchObject({
      status: 422,
      detail: 'SKU is required; Must be a number (query parameter "qty")',
      errors: [
        { detail: "SKU is required", pointer: "/sku" },
        { detail: 'Must be a number (query parameter "qty")', pointer: "" },
      ],
    });
  });

  it("the JSON parser's 400 in production: the page says the status, and no stack reaches the client", async () => {
    const problem = await send("/orders", { method: "POST", body: "{bad json" });
    expect(problem).toMatchObject({ status: 400, detail: "Bad Request" });
    expect(JSON.stringify(problem)).not.toMatch(/node_modules|JSON\.parse/);
  });
});

describe("Fastify", () => {
  const send = behindGateway(startFastifyOrigin);

  it("schema validation: the message and FST_ERR_VALIDATION", async () => {
    expect(await send("/users", { method: "POST", body: "{}" })).toMatchObject({
      status: 400,
      detail: "body must have required property 'email'",
      code: "FST_ERR_VALIDATION",
    });
  });

  it("an error with statusCode and code; its own 404", async () => {
    expect(await send("/users/1", { method: "PUT", body: "{}" })).toMatchObject({ status: 409, detail: "This email is already in use", code: "EMAIL_TAKEN" });
    expect(await send("/nope")).toMatchObject({ status: 404, detail: "Route GET:/nope not found" });
  });
});

describe("Hapi", () => {
  const send = behindGateway(startHapiOrigin);

  it("Boom errors: the message, never the reason phrase", async () => {
    expect(await send("/carts/3")).toMatchObject({ status: 404, detail: "Cart 3 does not exist" });
    expect(await send("/payments", { method: "POST", body: "{}" })).toMatchObject({ status: 402, detail: "Your card was declined" });
  });

  it("Hapi's own payload error and 404", async () => {
    expect(await send("/carts", { method: "POST", body: "{bad" })).toMatchObject({ status: 400, detail: "Invalid request payload JSON format" });
    // `message` is the origin's own text, even when it is only the reason phrase (Boom's `error` always is, and is dropped).
    expect(await send("/nope")).toMatchObject({ status: 404, detail: "Not Found" });
  });
});

describe("Koa", () => {
  const send = behindGateway(startKoaOrigin);

  it("ctx.throw: the plain-text message", async () => {
    expect(await send("/invoices", { method: "POST", body: "{}" })).toMatchObject({ status: 400, detail: "The invoice total must be positive" });
  });

  it("a JSON error envelope: message, code, the other members kept", async () => {
    expect(await send("/invoices/9")).toMatchObject({ status: 409, detail: "Invoice 9 is locked for editing", code: "INVOICE_LOCKED", lockedBy: "billing" });
  });
});
