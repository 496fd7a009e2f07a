// Issue 11's patterns, each in a body no rule names: the general reader must
// get the origin's message, code and field errors from the shape alone.
import { describe, expect, it } from "vitest";
import { JSON_TYPE, blank, normalize } from "./normalize-helper";

const json = (status: number, body: unknown) => normalize(status, JSON_TYPE, JSON.stringify(body)).problem;

describe("a message above a list of errors is the detail", () => {
  it("beside an errors map", () => {
    expect(json(422, { message: "Validation failed", errors: { email: ["is invalid"] } })).toEqual({
      ...blank(422, "Unprocessable Content"),
      detail: "Validation failed",
      errors: [{ detail: "is invalid", pointer: "/email" }],
    });
  });

  it("beside a list of items with codes only: not taken for JSON:API", () => {
    expect(json(402, { message: "Payment failed", errors: [{ code: "card_expired" }, { code: "insufficient_funds" }] })).toEqual({
      ...blank(402, "Payment Required"),
      detail: "Payment failed",
      errors: [
        { detail: "card_expired", pointer: "" },
        { detail: "insufficient_funds", pointer: "" },
      ],
    });
  });
});

describe("message members beyond a fixed list", () => {
  it("`reason` inside an error object", () => {
    expect(json(429, { error: { reason: "Quota exceeded for project alpha", code: "QUOTA" } })).toEqual({
      ...blank(429, "Too Many Requests"),
      detail: "Quota exceeded for project alpha",
      code: "QUOTA",
    });
  });

  it("`msg` inside list items, with `param`", () => {
    expect(json(400, { errors: [{ msg: "Name is too long", param: "name" }] })).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Name is too long",
      errors: [{ detail: "Name is too long", pointer: "/name" }],
    });
  });

  it("a list of messages under another name", () => {
    expect(json(400, { messages: ["Name is required", "Age is required"] }).detail).toBe("Name is required; Age is required");
    expect(json(400, { validationMessage: "Age is required" }).detail).toBe("Age is required");
  });

  it("`errors` as a plain string, `detail` as a list", () => {
    expect(json(401, { errors: "Token has expired" }).detail).toBe("Token has expired");
    expect(json(400, { detail: ["Name is required", "Age is required"] }).detail).toBe("Name is required; Age is required");
  });

  it("a sentence under `status`, while a status word or number is only the status again", () => {
    expect(json(409, { status: "Email address already registered" }).detail).toBe("Email address already registered");
    expect(json(409, { status: "fail", message: "Conflict on email" })).toEqual({ ...blank(409, "Conflict"), detail: "Conflict on email" });
  });

  it("a message under an unknown wrapper, as the last resort", () => {
    expect(json(400, { result: { outcome: { message: "The coupon has expired" } } }).detail).toBe("The coupon has expired");
  });
});

describe("bodies that are not an object with a known key", () => {
  it("a top-level list of error objects", () => {
    expect(json(400, [{ field: "email", error: "is invalid" }, { field: "age", error: "must be positive" }])).toEqual({
      ...blank(400, "Bad Request"),
      detail: "email: is invalid; age: must be positive",
      errors: [
        { detail: "is invalid", pointer: "/email" },
        { detail: "must be positive", pointer: "/age" },
      ],
    });
  });

  it("a bare field map", () => {
    expect(json(400, { email: ["This field is required."] })).toEqual({
      ...blank(400, "Bad Request"),
      detail: "email: This field is required.",
      errors: [{ detail: "This field is required.", pointer: "/email" }],
    });
  });
});

describe("codes beyond `code`", () => {
  it.each([
    ["`reason`", { message: "Slow down", reason: "RATE_LIMITED" }, "RATE_LIMITED"],
    ["`name`", { name: "NotFoundError", message: "No user 7" }, "NotFoundError"],
    ["`errorCode` inside items", { errors: [{ errorCode: "E_DUPLICATE", message: "Already exists" }] }, "E_DUPLICATE"],
    ["`error` inside an error object", { error: { error: "insufficient_quota", message: "You exceeded your quota" } }, "insufficient_quota"],
    ["`type` inside an error object", { error: { type: "rate_limit_exceeded", message: "Slow down" } }, "rate_limit_exceeded"],
    ["one envelope deeper", { error: { message: "Denied", details: { code: "ACCOUNT_SUSPENDED" } } }, "ACCOUNT_SUSPENDED"],
  ])("%s", (_, body, code) => {
    expect(json(409, body).code).toBe(code);
  });

  it("never the status repeated, as a number or a string", () => {
    expect(json(404, { message: "No user 7", code: 404, errorCode: "404" }).code).toBeUndefined();
  });

  it("vendors' error-code headers, and the operator's own list", () => {
    const aws = normalize(400, { "content-type": "application/json", "x-amzn-errortype": "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/" }, `{"message":"1 validation error"}`);
    expect(aws.problem.code).toBe("ValidationException");
    expect(aws.log.dialect).toBe("json+x-amzn-errortype");
    expect(normalize(409, { "x-ms-error-code": "ContainerAlreadyExists" }, "The specified container already exists.").problem.code).toBe("ContainerAlreadyExists");
    expect(normalize(409, { "x-error-code": "E1" }, "Conflict.", { codeHeaders: ["X-Error-Code"] }).problem.code).toBe("E1");
    expect(normalize(403, { "x-message-code": "PASSWORD_LOCKED" }, "Locked.", { codeHeaders: [] }).problem.code).toBeUndefined();
  });
});

describe("field errors in every shape", () => {
  it.each([
    ["`property` inside `details`", { details: [{ property: "address.zip", message: "Invalid zip" }] }, "/address/zip"],
    ["`target` inside `causes`", { causes: [{ target: "items[2].sku", message: "Unknown SKU" }] }, "/items/2/sku"],
    ["JSONPath", { errors: [{ path: "$.order.items[0].qty", message: "must be positive" }] }, "/order/items/0/qty"],
    ["a path array", { errors: [{ path: ["order", "items", 0, "qty"], message: "must be positive" }] }, "/order/items/0/qty"],
    ["a form parameter", { error: { message: "Invalid number", param: "card[number]" } }, "/card/number"],
    ["`loc` with the body prefix", { detail: [{ loc: ["body", "email"], msg: "Field required" }] }, "/email"],
    ["nested `details.errors[]`", { message: "Invalid order", details: { errors: [{ field: "email", message: "is invalid" }] } }, "/email"],
    ["an RFC 6901 pointer with escapes", { errors: [{ pointer: "/a~1b", detail: "Odd key" }] }, "/a~1b"],
  ])("%s", (_, body, pointer) => {
    const errors = json(400, body).errors as { pointer: string }[] | undefined;
    expect(errors?.map((e) => e.pointer)).toEqual([pointer]);
  });

  it("a header or path location is said in the entry's detail", () => {
    expect(json(400, { detail: [{ loc: ["header", "x-api-version"], msg: "Field required" }, { loc: ["path", "id"], msg: "Input should be a valid integer" }] }).errors).toEqual([
      { detail: 'Field required (header "x-api-version")', pointer: "" },
      { detail: 'Input should be a valid integer (path parameter "id")', pointer: "" },
    ]);
  });
});

describe("heuristics that used to misclassify", () => {
  it("an item with `path` is not GraphQL: the pointer is kept", () => {
    expect(json(400, { errors: [{ message: "must be positive", path: "items.0.qty" }] }).errors).toEqual([{ detail: "must be positive", pointer: "/items/0/qty" }]);
  });

  it("a map under `errors` that holds a message is one error, not a field map", () => {
    expect(json(401, { errors: { message: "Token expired", code: "TOKEN_EXPIRED" } })).toEqual({
      ...blank(401, "Unauthorized"),
      detail: "Token expired",
      code: "TOKEN_EXPIRED",
    });
  });

  it("an XML body under a JSON label is read as XML", () => {
    const { problem, log } = normalize(403, JSON_TYPE, `<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`);
    expect(problem).toEqual({ ...blank(403, "Forbidden"), detail: "Access Denied", code: "AccessDenied" });
    expect(log.dialect).toBe("xml");
  });

  it("plain text under a JSON label is read as text", () => {
    expect(normalize(502, JSON_TYPE, "upstream connect error", { exposeServerErrors: true }).log.dialect).toBe("text");
  });
});

describe("HTML pages with a generic title", () => {
  it("Express's default page: the <pre> is the message", () => {
    const body = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot POST /orders</pre>\n</body>\n</html>\n`;
    expect(normalize(404, { "content-type": "text/html; charset=utf-8" }, body).problem.detail).toBe("Cannot POST /orders");
  });
});

describe("what is kept", () => {
  it("unmapped members as extensions, after the leak filter", () => {
    expect(json(400, { message: "Bad coupon", meta: { retryable: false }, debug: "at handler (/app/server.js:1:2)", hint: "Use a newer coupon" })).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Bad coupon",
      meta: { retryable: false },
      hint: "Use a newer coupon",
    });
  });

  it("a message not chosen stays under its own name", () => {
    expect(json(400, { message: "Validation failed", description: "The email address is malformed" })).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Validation failed",
      description: "The email address is malformed",
    });
  });

  it("a leaky message gives way to the next one, and is not kept", () => {
    expect(json(400, { message: "at handler (/app/server.js:1:2)", description: "The email address is malformed" })).toEqual({
      ...blank(400, "Bad Request"),
      detail: "The email address is malformed",
    });
  });
});
