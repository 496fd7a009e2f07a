// Golden tests from more documented error dialects, none of them named by a
// rule: the general reader alone gets what the origin said.
import { describe, expect, it } from "vitest";
import { CONTEXT, JSON_TYPE, blank, normalize } from "./normalize-helper";

describe("Microsoft REST API Guidelines / Graph", () => {
  it("error.code, error.message, details with `target`; innererror kept as it came", () => {
    const body = JSON.stringify({
      error: {
        code: "BadArgument",
        message: "Multiple errors in ContactInfo data",
        target: "ContactInfo",
        details: [
          { code: "NullValue", target: "PhoneNumber", message: "Phone number must not be null" },
          { code: "MalformedValue", target: "Address", message: "Address is not valid" },
        ],
        innererror: { code: "PasswordTooShort" },
      },
    });
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Multiple errors in ContactInfo data",
      code: "BadArgument",
      errors: [
        { detail: "Phone number must not be null", pointer: "/PhoneNumber" },
        { detail: "Address is not valid", pointer: "/Address" },
      ],
      target: "ContactInfo",
      innererror: { code: "PasswordTooShort" },
    });
  });
});

describe("gateways and platforms", () => {
  it("Apigee: fault.faultstring, and the code two envelopes down", () => {
    const body = `{"fault":{"faultstring":"Invalid ApiKey","detail":{"errorcode":"oauth.v2.InvalidApiKey"}}}`;
    expect(normalize(401, JSON_TYPE, body).problem).toEqual({ ...blank(401, "Unauthorized"), detail: "Invalid ApiKey", code: "oauth.v2.InvalidApiKey" });
  });

  it("OData v2 (SAP Gateway): a localized message object, innererror kept", () => {
    const body = `{"error":{"code":"SY/530","message":{"lang":"en","value":"Material 4711 does not exist"},"innererror":{"transactionid":"5E6C0A"}}}`;
    expect(normalize(404, JSON_TYPE, body).problem).toEqual({
      ...blank(404, "Not Found"),
      detail: "Material 4711 does not exist",
      code: "SY/530",
      innererror: { transactionid: "5E6C0A" },
    });
  });

  it("Twilio: a numeric code other than the status, more_info kept", () => {
    const body = `{"code":21211,"message":"The 'To' number +1555 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}`;
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "The 'To' number +1555 is not a valid phone number.",
      code: "21211",
      more_info: "https://www.twilio.com/docs/errors/21211",
    });
  });

  it("Slack: `ok: false` with a snake_case `error`", () => {
    expect(normalize(400, JSON_TYPE, `{"ok":false,"error":"channel_not_found"}`).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "The origin rejected the request with 400 Bad Request.",
      code: "channel_not_found",
      ok: false,
    });
  });

  it("Anthropic-style: `type: error` names the object; the inner type is the code", () => {
    const body = `{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}`;
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({ ...blank(400, "Bad Request"), detail: "max_tokens: Field required", code: "invalid_request_error" });
  });

  it("Google APIs v1 (legacy): an item's locationType and location say it is a header", () => {
    const body = `{"error":{"errors":[{"domain":"global","reason":"required","message":"Login Required","locationType":"header","location":"Authorization"}],"code":401,"message":"Login Required"}}`;
    expect(normalize(401, JSON_TYPE, body).problem).toEqual({
      ...blank(401, "Unauthorized"),
      detail: "Login Required",
      code: "required",
      errors: [{ detail: 'Login Required (header "Authorization")', pointer: "" }],
      domain: "global",
    });
  });

  it("PostgREST: SQL state code, message, details and hint kept", () => {
    const body = `{"code":"23505","details":"Key (email)=(a@b.c) already exists.","hint":null,"message":"duplicate key value violates unique constraint \\"users_email_key\\""}`;
    expect(normalize(409, JSON_TYPE, body).problem).toEqual({
      ...blank(409, "Conflict"),
      detail: 'duplicate key value violates unique constraint "users_email_key"',
      code: "23505",
      details: "Key (email)=(a@b.c) already exists.",
      hint: null,
    });
  });
});

describe("Node validation libraries", () => {
  it("Mongoose ValidationError: an errors map of error objects; `_message` kept under its own name", () => {
    const body = JSON.stringify({
      errors: { email: { name: "ValidatorError", message: "Path `email` is required.", kind: "required", path: "email" } },
      _message: "User validation failed",
      name: "ValidationError",
      message: "User validation failed: email: Path `email` is required.",
    });
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "User validation failed: email: Path `email` is required.",
      code: "ValidationError",
      errors: [{ detail: "Path `email` is required.", pointer: "/email" }],
      _message: "User validation failed",
    });
  });

  it("Zod issues: path arrays", () => {
    const body = JSON.stringify({
      name: "ZodError",
      issues: [
        { code: "invalid_type", expected: "string", received: "undefined", path: ["address", "city"], message: "Required" },
        { code: "too_small", minimum: 8, type: "string", message: "String must contain at least 8 character(s)", path: ["password"] },
      ],
    });
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "address.city: Required; password: String must contain at least 8 character(s)",
      code: "ZodError",
      errors: [
        { detail: "Required", pointer: "/address/city" },
        { detail: "String must contain at least 8 character(s)", pointer: "/password" },
      ],
    });
  });

  it("express-validator: `msg`, `path`, and `location` beside them", () => {
    const body = `{"errors":[{"type":"field","value":"x","msg":"Invalid value","path":"email","location":"body"},{"type":"field","value":"x","msg":"Must be a number","path":"limit","location":"query"}]}`;
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: 'email: Invalid value; Must be a number (query parameter "limit")',
      errors: [
        { detail: "Invalid value", pointer: "/email" },
        { detail: 'Must be a number (query parameter "limit")', pointer: "" },
      ],
    });
  });

  it("Ajv errors: `instancePath` is already a pointer", () => {
    const body = `{"message":"Validation failed","errors":[{"instancePath":"/age","keyword":"minimum","message":"must be >= 0"},{"instancePath":"/tags/1","keyword":"type","message":"must be string"}]}`;
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Validation failed",
      errors: [
        { detail: "must be >= 0", pointer: "/age" },
        { detail: "must be string", pointer: "/tags/1" },
      ],
    });
  });
});

describe("maps and envelopes of other APIs", () => {
  it("Jira: errorMessages and an errors map of strings", () => {
    const body = `{"errorMessages":[],"errors":{"summary":"You must specify a summary of the issue.","project":"project is required"}}`;
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "You must specify a summary of the issue.; project is required",
      errors: [
        { detail: "You must specify a summary of the issue.", pointer: "/summary" },
        { detail: "project is required", pointer: "/project" },
      ],
    });
    expect(normalize(404, JSON_TYPE, `{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}`).problem.detail).toBe(
      "Issue does not exist or you do not have permission to see it.",
    );
  });

  it("JSend fail: `data` maps fields to messages", () => {
    const { problem, log } = normalize(400, JSON_TYPE, `{"status":"fail","data":{"title":"A title is required","email":"A valid email is required"}}`);
    expect(problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "A title is required; A valid email is required",
      errors: [
        { detail: "A title is required", pointer: "/title" },
        { detail: "A valid email is required", pointer: "/email" },
      ],
    });
    expect(log.dialect).toBe("jsend");
  });

  it("RFC 7807 §3's invalid-params: `name` and `reason`", () => {
    const body = JSON.stringify({
      type: "https://example.net/validation-error",
      title: "Your request parameters didn't validate.",
      "invalid-params": [
        { name: "age", reason: "must be a positive integer" },
        { name: "color", reason: "must be 'green', 'red' or 'blue'" },
      ],
    });
    expect(normalize(400, { "content-type": "application/problem+json" }, body).problem).toEqual({
      type: "https://example.net/validation-error",
      title: "Your request parameters didn't validate.",
      status: 400,
      detail: "age: must be a positive integer; color: must be 'green', 'red' or 'blue'",
      instance: CONTEXT.instance,
      request_id: CONTEXT.requestId,
      errors: [
        { detail: "must be a positive integer", pointer: "/age" },
        { detail: "must be 'green', 'red' or 'blue'", pointer: "/color" },
      ],
    });
  });

  it("Shopify: dotted keys in an errors map", () => {
    expect(normalize(422, JSON_TYPE, `{"errors":{"title":["can't be blank"],"variants.price":["must be greater than 0"]}}`).problem.errors).toEqual([
      { detail: "can't be blank", pointer: "/title" },
      { detail: "must be greater than 0", pointer: "/variants/price" },
    ]);
  });
});
