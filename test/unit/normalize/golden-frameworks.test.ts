// Golden tests from the documented error bodies of frameworks and APIs that
// README's old dialect table did not name (issue 11): the exact problem a
// client gets. Each body is the shape the framework's or API's own
// documentation shows.
import { describe, expect, it } from "vitest";
import { CONTEXT, JSON_TYPE, blank, normalize } from "./normalize-helper";

describe("FastAPI / Pydantic", () => {
  it("RequestValidationError: `loc` becomes the pointer, `body` dropped, a query parameter named in its entry", () => {
    const body = JSON.stringify({
      detail: [
        { type: "missing", loc: ["body", "user", "email"], msg: "Field required", input: { name: "Ada" }, url: "https://errors.pydantic.dev/2.9/v/missing" },
        { type: "int_parsing", loc: ["query", "limit"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "ten" },
      ],
    });
    const { problem, log } = normalize(422, JSON_TYPE, body);
    expect(problem).toEqual({
      ...blank(422, "Unprocessable Content"),
      detail: 'user.email: Field required; Input should be a valid integer, unable to parse string as an integer (query parameter "limit")',
      errors: [
        { detail: "Field required", pointer: "/user/email" },
        { detail: 'Input should be a valid integer, unable to parse string as an integer (query parameter "limit")', pointer: "" },
      ],
    });
    expect(log.dialect).toBe("json");
  });

  it("Pydantic v1: one error, its type is the code, list indexes in the pointer", () => {
    const body = `{"detail":[{"loc":["body","items",0,"price"],"msg":"value is not a valid float","type":"type_error.float"}]}`;
    expect(normalize(422, JSON_TYPE, body).problem).toEqual({
      ...blank(422, "Unprocessable Content"),
      detail: "items[0].price: value is not a valid float",
      code: "type_error.float",
      errors: [{ detail: "value is not a valid float", pointer: "/items/0/price" }],
    });
  });

  it("HTTPException: `detail` as a string", () => {
    expect(normalize(404, JSON_TYPE, `{"detail":"Item not found"}`).problem).toEqual({ ...blank(404, "Not Found"), detail: "Item not found" });
  });
});

describe("Django REST Framework", () => {
  it("the body is the field map; non_field_errors is about the request as a whole", () => {
    const body = JSON.stringify({
      email: ["Enter a valid email address."],
      password: ["This field is required."],
      non_field_errors: ["Unable to log in with provided credentials."],
    });
    const { problem, log } = normalize(400, JSON_TYPE, body);
    expect(problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Enter a valid email address.; password: This field is required.; Unable to log in with provided credentials.",
      errors: [
        { detail: "Enter a valid email address.", pointer: "/email" },
        { detail: "This field is required.", pointer: "/password" },
        { detail: "Unable to log in with provided credentials.", pointer: "" },
      ],
    });
    expect(log.dialect).toBe("field-map");
  });

  it("nested serializers and list fields", () => {
    const body = `{"address":{"street":["This field is required."]},"items":[{},{"quantity":["Ensure this value is greater than or equal to 1."]}]}`;
    expect(normalize(400, JSON_TYPE, body).problem.errors).toEqual([
      { detail: "This field is required.", pointer: "/address/street" },
      { detail: "Ensure this value is greater than or equal to 1.", pointer: "/items/1/quantity" },
    ]);
  });

  it("`detail` with a `code` (PermissionDenied, simplejwt)", () => {
    const body = `{"detail":"Given token not valid for any token type","code":"token_not_valid"}`;
    expect(normalize(401, JSON_TYPE, body).problem).toEqual({
      ...blank(401, "Unauthorized"),
      detail: "Given token not valid for any token type",
      code: "token_not_valid",
    });
  });
});

describe("Laravel", () => {
  it("ValidationException: the message above the errors map is the detail", () => {
    const body = JSON.stringify({
      message: "The email field is required. (and 1 more error)",
      errors: { email: ["The email field is required."], password: ["The password field must be at least 8 characters."] },
    });
    expect(normalize(422, JSON_TYPE, body).problem).toEqual({
      ...blank(422, "Unprocessable Content"),
      detail: "The email field is required. (and 1 more error)",
      errors: [
        { detail: "The email field is required.", pointer: "/email" },
        { detail: "The password field must be at least 8 characters.", pointer: "/password" },
      ],
    });
  });
});

describe("Rails", () => {
  it("`errors.base` is about the record as a whole", () => {
    const body = `{"errors":{"title":["can't be blank"],"base":["Post is locked"]}}`;
    expect(normalize(422, JSON_TYPE, body).problem).toEqual({
      ...blank(422, "Unprocessable Content"),
      detail: "title: can't be blank; Post is locked",
      errors: [
        { detail: "can't be blank", pointer: "/title" },
        { detail: "Post is locked", pointer: "" },
      ],
    });
  });

  it("`{status, error}` says only the status", () => {
    expect(normalize(404, JSON_TYPE, `{"status":404,"error":"Not Found"}`).problem).toEqual({
      ...blank(404, "Not Found"),
      detail: "The origin rejected the request with 404 Not Found.",
    });
  });
});

describe("Spring Boot", () => {
  it("the default error body with binding errors: message, field, defaultMessage, code", () => {
    const body = JSON.stringify({
      timestamp: "2024-05-01T10:00:00.000+00:00",
      status: 400,
      error: "Bad Request",
      message: "Validation failed for object='userDto'. Error count: 2",
      errors: [
        { codes: ["NotBlank.userDto.name"], defaultMessage: "must not be blank", objectName: "userDto", field: "name", rejectedValue: "", code: "NotBlank" },
        { codes: ["Email.userDto.email"], defaultMessage: "must be a well-formed email address", objectName: "userDto", field: "email", rejectedValue: "x", code: "Email" },
      ],
      path: "/users",
    });
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Validation failed for object='userDto'. Error count: 2",
      errors: [
        { detail: "must not be blank", pointer: "/name" },
        { detail: "must be a well-formed email address", pointer: "/email" },
      ],
      timestamp: "2024-05-01T10:00:00.000+00:00",
      path: "/users",
    });
  });

  it("the default 404: `error` only restates the status", () => {
    const body = `{"timestamp":"2024-05-01T10:00:00.000+00:00","status":404,"error":"Not Found","path":"/users/42"}`;
    expect(normalize(404, JSON_TYPE, body).problem).toEqual({
      ...blank(404, "Not Found"),
      detail: "The origin rejected the request with 404 Not Found.",
      timestamp: "2024-05-01T10:00:00.000+00:00",
      path: "/users/42",
    });
  });

  it("ProblemDetail (Spring 6): type, title, detail, instance and a custom property", () => {
    const body = `{"type":"https://api.example.com/errors/not-found","title":"User not found","status":404,"detail":"User 42 does not exist","instance":"/users/42","timestamp":"2024-05-01T10:00:00Z"}`;
    const { problem, log } = normalize(404, { "content-type": "application/problem+json" }, body);
    expect(problem).toEqual({
      type: "https://api.example.com/errors/not-found",
      title: "User not found",
      status: 404,
      detail: "User 42 does not exist",
      instance: "/users/42",
      request_id: CONTEXT.requestId,
      timestamp: "2024-05-01T10:00:00Z",
    });
    expect(log.dialect).toBe("problem-details");
  });
});

describe("Kubernetes Status", () => {
  it("`reason` is the code; `details.causes` are the field errors; the rest of `details` kept", () => {
    const body = JSON.stringify({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      reason: "Invalid",
      details: {
        name: "web",
        group: "apps",
        kind: "Deployment",
        causes: [{ reason: "FieldValueInvalid", message: "Invalid value: -1: must be greater than or equal to 0", field: "spec.replicas" }],
      },
      code: 422,
    });
    const { problem, log } = normalize(422, JSON_TYPE, body);
    expect(problem).toEqual({
      ...blank(422, "Unprocessable Content"),
      detail: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      code: "Invalid",
      errors: [{ detail: "Invalid value: -1: must be greater than or equal to 0", pointer: "/spec/replicas" }],
      details: { name: "web", group: "apps", kind: "Deployment" },
    });
    expect(log.dialect).toBe("kubernetes");
  });
});

describe("Salesforce REST", () => {
  it("a top-level list of {message, errorCode, fields}", () => {
    const body = `[{"message":"No such column 'Foo' on entity 'Account'.","errorCode":"INVALID_FIELD","fields":["Foo"]}]`;
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "No such column 'Foo' on entity 'Account'.",
      code: "INVALID_FIELD",
      errors: [{ detail: "No such column 'Foo' on entity 'Account'.", pointer: "/Foo" }],
    });
  });
});

describe("GitHub REST", () => {
  it("Validation Failed: an error with a code and a field but no message", () => {
    const body = JSON.stringify({
      message: "Validation Failed",
      errors: [{ resource: "Issue", field: "title", code: "missing_field" }],
      documentation_url: "https://docs.github.com/rest/issues/issues#create-an-issue",
      status: "422",
    });
    expect(normalize(422, JSON_TYPE, body).problem).toEqual({
      ...blank(422, "Unprocessable Content"),
      detail: "Validation Failed",
      code: "missing_field",
      errors: [{ detail: "missing_field", pointer: "/title" }],
      documentation_url: "https://docs.github.com/rest/issues/issues#create-an-issue",
      resource: "Issue",
    });
  });
});
