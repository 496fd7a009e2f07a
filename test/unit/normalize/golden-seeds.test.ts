// Golden tests from every example in the five seed documents
// (/work/shared/seeds, copied verbatim below): the exact problem a client gets.
import { describe, expect, it } from "vitest";
import { CONTEXT, JSON_TYPE, blank, normalize } from "./normalize-helper";

const GENERIC_5XX = "The origin failed to process the request.";
const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

describe("seed 000: SCIM errors (RFC 7644 §3.12)", () => {
  it("keeps scimType as the code, the detail, and the string status as the real number", () => {
    const body = `{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:Error"
    ],
    "status": "400",
    "scimType": "invalidValue",
    "detail": "User name 'email@example.com' is invalid: 'not unique'"
}`;
    const { problem, log } = normalize(400, { "content-type": "application/scim+json" }, body);
    expect(problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "User name 'email@example.com' is invalid: 'not unique'",
      code: "invalidValue",
    });
    expect(log).toEqual({ dialect: "scim", originDetail: "User name 'email@example.com' is invalid: 'not unique'", code: "invalidValue" });
  });

  // The table's rows, each as the SCIM error that status comes with.
  const rows: [number, string, string][] = [
    [400, "Bad Request", "The detail attribute of the resource should provide information on what request/attribute value is unexpected."],
    [401, "Unauthorized", "Qase cannot authorize the organization with the authorization token."],
    [403, "Forbidden", "SCIM integration is disabled."],
    [404, "Not Found", "The requested resource wasn't found by looking up its ID."],
    [405, "Method Not Allowed", "Qase doesn't support the requested method."],
    [409, "Conflict", "Qase cannot update a resource because of a business logic conflict."],
    [413, "Content Too Large", "The payload exceeds the maximum payload of 800000 bytes."],
    [415, "Unsupported Media Type", "The endpoint doesn't support the provided media type."],
    [429, "Too Many Requests", "Too many requests."],
  ];
  it.each(rows)("%i: the detail under the registered reason phrase", (status, title, detail) => {
    const body = JSON.stringify({ schemas: [SCIM_ERROR], status: String(status), detail });
    expect(normalize(status, { "content-type": "application/scim+json" }, body).problem).toEqual({ ...blank(status, title), detail });
  });

  it("500: the detail stays in the log", () => {
    const detail = "An unexpected error of application. Please, contact Qase support to clarify the reason for such an error.";
    const { problem, log } = normalize(500, JSON_TYPE, JSON.stringify({ schemas: [SCIM_ERROR], status: "500", detail }));
    expect(problem).toEqual({ ...blank(500, "Internal Server Error"), detail: GENERIC_5XX });
    expect(log).toEqual({ dialect: "scim", originDetail: detail });
  });
});

describe("seed 001: ASP.NET Core problem details", () => {
  it("keeps every member; the errors map becomes {detail, pointer} entries", () => {
    const body = `{
  "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
  "title": "Bad Request",
  "status": 400,
  "detail": "One or more validation errors occurred.",
  "traceId": "00-9e02a91b64ac56904703a3a69ea9101d-56be90a29d0b0b25-00",
  "errors": {
    "mistake": [
      "Unknown expression group."
    ]
  }
}`;
    const { problem, log } = normalize(400, { "content-type": "application/problem+json; charset=utf-8" }, body);
    expect(problem).toEqual({
      type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
      title: "Bad Request",
      status: 400,
      detail: "One or more validation errors occurred.",
      instance: CONTEXT.instance,
      request_id: CONTEXT.requestId,
      errors: [{ detail: "Unknown expression group.", pointer: "/mistake" }],
      traceId: "00-9e02a91b64ac56904703a3a69ea9101d-56be90a29d0b0b25-00",
    });
    expect(log).toEqual({ dialect: "problem-details/aspnet", originDetail: "One or more validation errors occurred." });
  });

  // "Common errors", as ASP.NET writes them (type = the RFC 9110 section of the status).
  const rows: [number, string, string, string][] = [
    [401, "15.5.2", "Unauthorized", "This means the request lacks valid authentication credentials for the target resource. Check if the Authorization header is present and contains the valid token value."],
    [403, "15.5.4", "Forbidden", "The server understands the request but refuses to authorize it."],
    [404, "15.5.5", "Not Found", "The requested resource could not be found on the server."],
    [409, "15.5.10", "Conflict", "The request could not be completed due to a conflict with the current state of the resource."],
    [415, "15.5.16", "Unsupported Media Type", "The server refuses the request because the payload format is not supported."],
  ];
  it.each(rows)("%i: type, title, detail and traceId pass through", (status, section, title, detail) => {
    const type = `https://tools.ietf.org/html/rfc9110#section-${section}`;
    const traceId = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";
    const body = JSON.stringify({ type, title, status, detail, traceId });
    expect(normalize(status, { "content-type": "application/problem+json" }, body).problem).toEqual({
      type, title, status, detail, instance: CONTEXT.instance, request_id: CONTEXT.requestId, traceId,
    });
  });

  const serverRows: [number, string, string, string][] = [
    [500, "15.6.1", "Internal Server Error", "The server encountered an unexpected condition that prevented it from fulfilling the request."],
    [501, "15.6.2", "Not Implemented", "The server does not support the functionality required to fulfill the request."],
    [504, "15.6.5", "Gateway Timeout", "The server, while acting as a gateway or proxy, did not receive a timely response from an upstream server."],
  ];
  it.each(serverRows)("%i: nothing the origin wrote reaches the client", (status, section, title, detail) => {
    const body = JSON.stringify({ type: `https://tools.ietf.org/html/rfc9110#section-${section}`, title, status, detail, traceId: "00-1-2-00" });
    const { problem, log } = normalize(status, { "content-type": "application/problem+json" }, body);
    expect(problem).toEqual({ ...blank(status, title), detail: GENERIC_5XX });
    expect(log).toEqual({ dialect: "problem-details", originDetail: detail });
  });
});

describe("seed 002: typed errors", () => {
  // Every row of the "Error Response Types" table: the type name, PascalCase as the API sends it.
  const rows: [string, string, number][] = [
    ["Unauthorized", "The request requires authentication.", 401],
    ["Forbidden", "The requested action can’t be performed by this resource.", 403],
    ["PayloadTooLarge", "The request payload is too large.", 413],
    ["InvalidPayload", "The request payload is invalid.", 400],
    ["UnsupportedMediaType", "The request is invalid because the content-type is not supported.", 415],
    ["MethodNotFound", "The requested method does not exist.", 405],
    ["ResourceNotFound", "The requested resource does not exist.", 404],
    ["InvalidJsonSchema", "The provided JSON schema is invalid.", 400],
    ["InvalidDataFormat", "The provided data doesn’t respect the provided JSON schema.", 400],
    ["InvalidIdentifier", "The provided identifier is not valid. An identifier must start with a lowercase letter, be between 2 and 100 characters long and use only alphanumeric characters.", 400],
    ["RelationConflict", "The resource is related to a different resource than the one referenced in the request. This is usually caused when providing two resource identifiers that aren’t linked together.", 409],
    ["ReferenceConstraint", "The resource cannot be deleted because it’s referenced by another resource.", 409],
    ["ReferenceNotFound", "The provided resource reference is missing. This is usually caused when providing an invalid id inside the payload of a request.", 400],
    ["InvalidQuery", "The provided query is invalid. This is usually caused when providing an invalid parameter for querying a resource.", 400],
    ["Runtime", "An error happened during the execution of a runtime (bot or integration).", 400],
    ["AlreadyExists", "The record attempted to be created already exists.", 409],
    ["RateLimited", "The request has been rate-limited.", 429],
    ["PaymentRequired", "A payment is required to perform this request.", 402],
    ["QuotaExceeded", "The request exceeds the allowed quota. Quotas are a soft limit that can be increased.", 403],
    ["LimitExceeded", "The request exceeds the allowed limit. Limits are a hard limit that cannot be increased.", 413],
    ["BreakingChanges", "Request payload contains breaking changes, which are not allowed for this resource without a version increment.", 400],
    ["ResourceLockedConflict", "The resource is current locked and cannot be operated on until the lock is released.", 409],
  ];
  const TITLES: Record<number, string> = {
    400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 409: "Conflict", 413: "Content Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
  };
  it.each(rows)("%s: the type name is the code, the message the detail", (type, message, status) => {
    const body = JSON.stringify({ id: "err_1713198273_4d1f", code: status, type, message });
    const { problem, log } = normalize(status, JSON_TYPE, body);
    expect(problem).toEqual({ ...blank(status, TITLES[status] ?? ""), detail: message, code: type, id: "err_1713198273_4d1f" });
    expect(log).toEqual({ dialect: "typed", originDetail: message, code: type });
  });

  it.each([
    ["Unknown", "An unknown error occurred"],
    ["Internal", "An internal error occurred"],
  ])("%s (500): code and message go to the log only", (type, message) => {
    const { problem, log } = normalize(500, JSON_TYPE, JSON.stringify({ code: 500, type, message, id: "err_1" }));
    expect(problem).toEqual({ ...blank(500, "Internal Server Error"), detail: GENERIC_5XX });
    expect(log).toEqual({ dialect: "typed", originDetail: message, code: type });
  });

  it("accepts the type names as the reference spells them, in words", () => {
    const body = JSON.stringify({ type: "Invalid Payload", message: "The request payload is invalid.", code: 400 });
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({ ...blank(400, "Bad Request"), detail: "The request payload is invalid.", code: "InvalidPayload" });
  });
});

describe("seed 003: a detailed code in the X-message-code header", () => {
  const rows: [string, number, string][] = [
    ["INVITATION_API_PARAMETER_INCORRECT", 400, "You have used an invalid parameter."],
    ["INVITATION_API_EMAIL_INCORRECT", 400, "You have specified an incorrect address or the email address does not exist."],
    ["PASSWORD_LOCKED", 403, "The password is locked for 60 minutes after 5 failed logon attempts with wrong value."],
    ["Mismatched group id", 409, "The id of the group in the URI and the id of the group in the request body are different. Make sure that the id of the group is one and the same in both places."],
  ];
  const TITLES: Record<number, string> = { 400: "Bad Request", 403: "Forbidden", 409: "Conflict" };
  it.each(rows)("%s: code from the header, detail from the plain-text body", (code, status, text) => {
    const { problem, log } = normalize(status, { "content-type": "text/plain;charset=UTF-8", "x-message-code": code }, text);
    expect(problem).toEqual({ ...blank(status, TITLES[status] ?? ""), detail: text, code });
    expect(log).toEqual({ dialect: "text+x-message-code", originDetail: text, code });
  });

  it("the header code also completes a JSON body that has no code of its own", () => {
    const body = JSON.stringify({ message: "The password is locked for 60 minutes after 5 failed logon attempts with wrong value." });
    expect(normalize(403, { ...JSON_TYPE, "x-message-code": "PASSWORD_LOCKED" }, body).problem).toEqual({
      ...blank(403, "Forbidden"),
      detail: "The password is locked for 60 minutes after 5 failed logon attempts with wrong value.",
      code: "PASSWORD_LOCKED",
    });
  });

  it("with no body, the header code and the status's generic detail", () => {
    expect(normalize(403, { "x-message-code": "PASSWORD_LOCKED" }, "").problem).toEqual({
      ...blank(403, "Forbidden"),
      detail: "The origin rejected the request with 403 Forbidden.",
      code: "PASSWORD_LOCKED",
    });
  });
});

describe("seed 004: the {\"error\": {status, message, code}} envelope", () => {
  it("the first example: code and message", () => {
    const body = `{
  "error": {
      "status": 409,
      "message": "This email is already in use, please try another one.",
      "code": "EmailAlreadyExists"
  }
}`;
    const { problem, log } = normalize(409, JSON_TYPE, body);
    expect(problem).toEqual({ ...blank(409, "Conflict"), detail: "This email is already in use, please try another one.", code: "EmailAlreadyExists" });
    expect(log).toEqual({ dialect: "error-envelope", originDetail: "This email is already in use, please try another one.", code: "EmailAlreadyExists" });
  });

  // "List of errors", messages exactly as listed, line breaks and indentation included.
  const wrap = "\n                                ";
  const rows: [number, string, string][] = [
    [400, "Request is invalid", "InvalidRequestDomain"],
    [403, `The group of the given api token${wrap}does not exist.`, "GroupNotFound"],
    [403, "Api usage for this group is disabled.", "ApiIsDisabled"],
    [400, "Api token is invalid.", "InvalidApiToken"],
    [401, `The request is unauthorized,${wrap}an api token is required.`, "UnauthorizedRequest"],
    [400, "One of the request inputs is invalid.", "InvalidInput"],
    [409, `This username is already in use,${wrap}please try another one.`, "UsernameAlreadyExists"],
    [409, `This email is already in use,${wrap}please try another one.`, "EmailAlreadyExists"],
    [400, `This email domain is not in${wrap}allowed domains for this group.`, "InvalidEmailDomain"],
    [400, "Given username is invalid.", "InvalidUsername"],
    [400, "User is not a member of the api token group.", "NotGroupMember"],
    [400, "The sso token in request could not be parsed.", "SSOTokenFailedToParse"],
    [400, `One of the required fields in${wrap}payload is invalid`, "InvalidSSOTokenPayload"],
    [400, `A required query parameter was${wrap}not specified for this request.`, "MissingRequiredQueryParameter"],
    [400, "Given username is out of range.", "OutOfRangeUsername"],
    [400, "Given suggested username is out of range.", "OutOfRangeSuggestedUsername"],
  ];
  const TITLES: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 409: "Conflict" };
  it.each(rows)("%i %s → code %s, the message on one line", (status, message, code) => {
    const body = JSON.stringify({ error: { status, message, code } });
    expect(normalize(status, JSON_TYPE, body).problem).toEqual({
      ...blank(status, TITLES[status] ?? ""),
      detail: message.replaceAll(wrap, " "),
      code,
    });
  });

  it.each([
    ["The server encountered an internal error.", "InternalError"],
    ["An error occurred, failed to create user.", "FailedToCreateUser"],
    [`An error occurred, failed to create user${wrap}session. User may not be logged in.`, "failedToCreateSession"],
  ])("500 %s: code and message go to the log only", (message, code) => {
    const { problem, log } = normalize(500, JSON_TYPE, JSON.stringify({ error: { status: 500, message, code } }));
    expect(problem).toEqual({ ...blank(500, "Internal Server Error"), detail: GENERIC_5XX });
    expect(log).toEqual({ dialect: "error-envelope", originDetail: message.replaceAll(wrap, " "), code });
  });
});
