// Golden tests for each specification dialect: the exact problem a client gets.
import { describe, expect, it } from "vitest";
import { CONTEXT, JSON_TYPE, blank, normalize } from "./normalize-helper";

describe("Google APIs / gRPC JSON (AIP-193)", () => {
  it("status name as code; BadRequest field violations as errors; other details kept", () => {
    const body = JSON.stringify({
      error: {
        code: 400,
        message: "Request contains an invalid argument.",
        status: "INVALID_ARGUMENT",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            fieldViolations: [
              { field: "book.title", description: "Title must be at most 200 characters" },
              { field: "book.authors[1].name", description: "Name is required" },
            ],
          },
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "FIELD_INVALID", domain: "library.example.com" },
        ],
      },
    });
    const { problem, log } = normalize(400, JSON_TYPE, body);
    expect(problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Request contains an invalid argument.",
      code: "INVALID_ARGUMENT",
      errors: [
        { detail: "Title must be at most 200 characters", pointer: "/book/title" },
        { detail: "Name is required", pointer: "/book/authors/1/name" },
      ],
      details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "FIELD_INVALID", domain: "library.example.com" }],
    });
    expect(log.dialect).toBe("google");
  });

  it("a plain NOT_FOUND", () => {
    const body = `{"error":{"code":404,"message":"Book 'shelves/1/books/9' not found.","status":"NOT_FOUND"}}`;
    expect(normalize(404, JSON_TYPE, body).problem).toEqual({
      ...blank(404, "Not Found"),
      detail: "Book 'shelves/1/books/9' not found.",
      code: "NOT_FOUND",
    });
  });
});

describe("Stripe", () => {
  it("code, param as pointer, the category and the other members kept", () => {
    const body = JSON.stringify({
      error: {
        code: "card_declined",
        decline_code: "insufficient_funds",
        doc_url: "https://stripe.com/docs/error-codes/card-declined",
        message: "Your card has insufficient funds.",
        param: "card[number]",
        type: "card_error",
      },
    });
    expect(normalize(402, JSON_TYPE, body).problem).toEqual({
      ...blank(402, "Payment Required"),
      detail: "Your card has insufficient funds.",
      code: "card_declined",
      errors: [{ detail: "Your card has insufficient funds.", pointer: "/card/number" }],
      decline_code: "insufficient_funds",
      doc_url: "https://stripe.com/docs/error-codes/card-declined",
      error_type: "card_error",
    });
  });

  it("without a code, the type is the code", () => {
    const body = `{"error":{"type":"invalid_request_error","message":"No such customer: 'cus_9s6XKzkNRiz8i3'","param":"customer"}}`;
    expect(normalize(404, JSON_TYPE, body).problem).toEqual({
      ...blank(404, "Not Found"),
      detail: "No such customer: 'cus_9s6XKzkNRiz8i3'",
      code: "invalid_request_error",
      errors: [{ detail: "No such customer: 'cus_9s6XKzkNRiz8i3'", pointer: "/customer" }],
    });
  });
});

describe("OAuth 2.0 (RFC 6749 §5.2, RFC 6750 §3)", () => {
  it("error is the code, error_description the detail, error_uri kept", () => {
    const body = `{"error":"invalid_grant","error_description":"The authorization code has expired.","error_uri":"https://auth.example.com/docs/errors#invalid_grant"}`;
    expect(normalize(400, { "content-type": "application/json;charset=UTF-8" }, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "The authorization code has expired.",
      code: "invalid_grant",
      error_uri: "https://auth.example.com/docs/errors#invalid_grant",
    });
  });

  it("a bare error code", () => {
    expect(normalize(401, JSON_TYPE, `{"error":"invalid_client"}`).problem).toEqual({
      ...blank(401, "Unauthorized"),
      detail: "The origin rejected the request with 401 Unauthorized.",
      code: "invalid_client",
    });
  });

  it("a Bearer challenge on an empty 401", () => {
    const challenge = `Bearer realm="example", error="invalid_token", error_description="The access token expired"`;
    const { problem, log } = normalize(401, { "www-authenticate": challenge }, "");
    expect(problem).toEqual({ ...blank(401, "Unauthorized"), detail: "The access token expired", code: "invalid_token" });
    expect(log).toEqual({ dialect: "empty+www-authenticate", originDetail: "The access token expired", code: "invalid_token" });
  });
});

describe("JSON:API", () => {
  it("one error: title, detail, code, and the source pointer", () => {
    const body = JSON.stringify({
      errors: [
        {
          id: "c1b9a2",
          status: "422",
          code: "too_short",
          source: { pointer: "/data/attributes/firstName" },
          title: "Invalid Attribute",
          detail: "First name must contain at least two characters.",
        },
      ],
    });
    expect(normalize(422, { "content-type": "application/vnd.api+json" }, body).problem).toEqual({
      ...blank(422, "Invalid Attribute"),
      detail: "First name must contain at least two characters.",
      code: "too_short",
      errors: [{ detail: "First name must contain at least two characters.", pointer: "/data/attributes/firstName" }],
      id: "c1b9a2",
    });
  });

  it("several errors: every one listed; a query parameter is named in its entry", () => {
    const body = JSON.stringify({
      errors: [
        { status: "400", title: "Invalid Query Parameter", detail: "Unknown relationship path `auther`.", source: { parameter: "include" } },
        { status: "400", title: "Invalid Attribute", detail: "Last name is required.", source: { pointer: "/data/attributes/lastName" } },
      ],
    });
    expect(normalize(400, { "content-type": "application/vnd.api+json" }, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: 'Unknown relationship path `auther`. (query parameter "include"); Last name is required.',
      errors: [
        { detail: 'Unknown relationship path `auther`. (query parameter "include")', pointer: "" },
        { detail: "Last name is required.", pointer: "/data/attributes/lastName" },
      ],
    });
  });
});

describe("GraphQL", () => {
  it("messages, the shared extensions.code; response paths are not request pointers", () => {
    const body = JSON.stringify({
      errors: [
        { message: 'Variable "$id" got invalid value "x".', locations: [{ line: 1, column: 8 }], extensions: { code: "BAD_USER_INPUT" } },
        { message: 'Variable "$limit" must be positive.', path: ["books"], extensions: { code: "BAD_USER_INPUT" } },
      ],
      data: null,
    });
    expect(normalize(400, { "content-type": "application/graphql-response+json" }, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: 'Variable "$id" got invalid value "x".; Variable "$limit" must be positive.',
      code: "BAD_USER_INPUT",
      errors: [
        { detail: 'Variable "$id" got invalid value "x".', pointer: "" },
        { detail: 'Variable "$limit" must be positive.', pointer: "" },
      ],
    });
  });
});

describe("AWS JSON protocols", () => {
  it("the shape name after '#' is the code", () => {
    const body = `{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected"}`;
    expect(normalize(400, { "content-type": "application/x-amz-json-1.1" }, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "1 validation error detected",
      code: "ValidationException",
    });
  });

  it("a bare shape name and a capitalized Message", () => {
    const body = `{"__type":"ResourceNotFoundException","Message":"Requested resource not found"}`;
    expect(normalize(400, { "content-type": "application/x-amz-json-1.0" }, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Requested resource not found",
      code: "ResourceNotFoundException",
    });
  });
});

describe("Hapi/Boom, Fastify, NestJS", () => {
  it("NestJS ValidationPipe: one entry per message, pointer from the property path", () => {
    const body = JSON.stringify({
      message: ["email must be an email", "address.street should not be empty", "each value in tags must be a string"],
      error: "Bad Request",
      statusCode: 400,
    });
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "email must be an email; address.street should not be empty; each value in tags must be a string",
      errors: [
        { detail: "email must be an email", pointer: "/email" },
        { detail: "address.street should not be empty", pointer: "/address/street" },
        { detail: "each value in tags must be a string", pointer: "" },
      ],
    });
  });

  it("NestJS HttpException: statusCode and message only", () => {
    expect(normalize(404, JSON_TYPE, `{"statusCode":404,"message":"Cat 7 not found"}`).problem).toEqual({
      ...blank(404, "Not Found"),
      detail: "Cat 7 not found",
    });
  });

  it("Fastify: the code is kept, the reason phrase in `error` is not repeated", () => {
    const body = `{"statusCode":400,"code":"FST_ERR_VALIDATION","error":"Bad Request","message":"body must have required property 'name'"}`;
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "body must have required property 'name'",
      code: "FST_ERR_VALIDATION",
    });
  });

  it("Boom with Joi validation data", () => {
    const body = `{"statusCode":400,"error":"Bad Request","message":"\\"name\\" is required","validation":{"source":"payload","keys":["name"]}}`;
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: '"name" is required',
      validation: { source: "payload", keys: ["name"] },
    });
  });
});

describe("problem details already", () => {
  it("RFC 9457 §3's example: extensions kept, a wrong status fixed, the fragment pointer made plain", () => {
    const body = JSON.stringify({
      type: "https://example.com/probs/out-of-credit",
      title: "You do not have enough credit.",
      status: 403,
      detail: "Your current balance is 30, but that costs 50.",
      instance: "/account/12345/msgs/abc",
      balance: 30,
      accounts: ["/account/12345", "/account/67890"],
      errors: [{ detail: "must be a positive integer", pointer: "#/age" }],
    });
    expect(normalize(402, { "content-type": "application/problem+json" }, body).problem).toEqual({
      type: "https://example.com/probs/out-of-credit",
      title: "You do not have enough credit.",
      status: 402,
      detail: "Your current balance is 30, but that costs 50.",
      instance: "/account/12345/msgs/abc",
      request_id: CONTEXT.requestId,
      errors: [{ detail: "must be a positive integer", pointer: "/age" }],
      balance: 30,
      accounts: ["/account/12345", "/account/67890"],
    });
  });

  it("a type or instance that is not a URI reference is replaced; request_id is always the gateway's", () => {
    const body = JSON.stringify({ type: "https://x/ bad type", title: "Oops", status: 400, instance: "not a uri", request_id: "spoofed" });
    expect(normalize(400, { "content-type": "application/problem+json" }, body).problem).toEqual({
      ...blank(400, "Oops"),
      detail: "The origin rejected the request with 400 Bad Request.",
    });
  });

  it("ASP.NET keys in every notation become JSON Pointers, escaped per RFC 6901", () => {
    const body = JSON.stringify({
      type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
      title: "One or more validation errors occurred.",
      status: 400,
      errors: { "address.street": ["Required."], "items[0].name": ["Too long.", "Invalid."], "$.mistake": ["Unknown."], "a/b~c": ["Odd."], "": ["Body required."] },
    });
    expect(normalize(400, { "content-type": "application/problem+json" }, body).problem.errors).toEqual([
      { detail: "Required.", pointer: "/address/street" },
      { detail: "Too long.", pointer: "/items/0/name" },
      { detail: "Invalid.", pointer: "/items/0/name" },
      { detail: "Unknown.", pointer: "/mistake" },
      { detail: "Odd.", pointer: "/a~1b~0c" },
      { detail: "Body required.", pointer: "" },
    ]);
  });
});
