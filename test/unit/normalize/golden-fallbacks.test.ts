// Golden tests for what is not a specification dialect: HTML, XML, plain
// text, empty and malformed bodies, JSON of no known shape, header codes.
import { describe, expect, it } from "vitest";
import { expectValidProblem } from "../../helpers/problem-schema";
import { normalizeOriginError } from "../../../src/normalize/normalize-origin-error";
import { CONTEXT, DEFAULT_OPTIONS, JSON_TYPE, blank, normalize } from "./normalize-helper";

function normalizeTruncated(text: string): ReturnType<typeof normalizeOriginError> {
  const result = normalizeOriginError({ status: 400, headers: new Headers(JSON_TYPE), text, truncated: true }, DEFAULT_OPTIONS, CONTEXT);
  expectValidProblem(result.problem);
  return result;
}

describe("bodies that are not JSON", () => {
  it("plain text, on one line", () => {
    expect(normalize(429, { "content-type": "text/plain" }, "Too many requests,\r\n\tslow down.\n").problem).toEqual({
      ...blank(429, "Too Many Requests"),
      detail: "Too many requests, slow down.",
    });
  });

  it("an HTML page: its paragraph when the heading only restates the status; no server banner", () => {
    const body = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head><title>404 Not Found</title><style>h1 { color: red }</style></head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this&nbsp;server &amp; never was.</p>
<hr><address>Apache/2.4.62 (Debian) Server at api.example.com Port 443</address>
<script>track()</script></body></html>`;
    expect(normalize(404, { "content-type": "text/html; charset=iso-8859-1" }, body).problem).toEqual({
      ...blank(404, "Not Found"),
      detail: "The requested URL was not found on this server & never was.",
    });
  });

  it("an HTML page with a meaningful heading, even when labelled text/plain", () => {
    const body = `<html><head><title>Error</title></head><body><h1>Upload rejected: file type &#x2018;exe&#8217; not allowed</h1></body></html>`;
    expect(normalize(415, { "content-type": "text/plain" }, body).problem).toEqual({
      ...blank(415, "Unsupported Media Type"),
      detail: "Upload rejected: file type ‘exe’ not allowed",
    });
  });

  it("an XML error (S3): Code and Message", () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a.txt</Key></Error>`;
    expect(normalize(404, { "content-type": "application/xml" }, body).problem).toEqual({
      ...blank(404, "Not Found"),
      detail: "The specified key does not exist.",
      code: "NoSuchKey",
    });
  });

  it("an empty body: the status's generic detail", () => {
    const { problem, log } = normalize(404, {}, "");
    expect(problem).toEqual({ ...blank(404, "Not Found"), detail: "The origin rejected the request with 404 Not Found." });
    expect(log).toEqual({ dialect: "empty" });
  });

  it("malformed JSON (a body cut short by max_body_bytes): the first complete message and code are salvaged", () => {
    const { problem, log } = normalizeTruncated(`{"error":{"code":"InvalidInput","message":"Line 2: \\"qty\\" must be positive","lines":[{"sku":"a-1"},{"sk`);
    expect(problem).toEqual({ ...blank(400, "Bad Request"), detail: 'Line 2: "qty" must be positive', code: "InvalidInput" });
    expect(log).toEqual({ dialect: "malformed-json", originDetail: 'Line 2: "qty" must be positive', code: "InvalidInput", truncated: true });
  });

  it("malformed JSON with nothing to salvage is read as text", () => {
    const { problem, log } = normalize(400, JSON_TYPE, `{"field": "start_date", "reason": bad date}`);
    expect(problem).toEqual({ ...blank(400, "Bad Request"), detail: `{"field": "start_date", "reason": bad date}` });
    expect(log.dialect).toBe("malformed-json");
  });
});

describe("JSON of no known shape", () => {
  // Issue 11: members no rule maps are kept as extensions (they used to be dropped).
  it("message-ish and code-ish members; the other members kept as extensions", () => {
    const body = `{"success":false,"reason":"Coupon code has expired","error_code":"COUPON_EXPIRED","data":{"internal":1}}`;
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Coupon code has expired",
      code: "COUPON_EXPIRED",
      success: false,
      data: { internal: 1 },
    });
  });

  it("nothing recognizable: the generic detail, the members kept", () => {
    expect(normalize(409, JSON_TYPE, `{"ok":false,"n":3}`).problem).toEqual({
      ...blank(409, "Conflict"),
      detail: "The origin rejected the request with 409 Conflict.",
      ok: false,
      n: 3,
    });
  });

  it("a JSON string and a JSON list of strings", () => {
    expect(normalize(400, JSON_TYPE, `"Name is required"`).problem).toEqual({ ...blank(400, "Bad Request"), detail: "Name is required" });
    expect(normalize(400, JSON_TYPE, `["Name is required","Age is required"]`).problem).toEqual({
      ...blank(400, "Bad Request"),
      detail: "Name is required; Age is required",
      errors: [
        { detail: "Name is required", pointer: "" },
        { detail: "Age is required", pointer: "" },
      ],
    });
  });

  // Issue 11: with no message above them, the field errors are the detail (it used to be the generic text).
  it("a Rails-style errors map: the messages, each named by its field, are the detail", () => {
    const body = `{"errors":{"email":["has already been taken"],"password":["is too short (minimum is 8 characters)"]}}`;
    expect(normalize(422, JSON_TYPE, body).problem).toEqual({
      ...blank(422, "Unprocessable Content"),
      detail: "email: has already been taken; password: is too short (minimum is 8 characters)",
      errors: [
        { detail: "has already been taken", pointer: "/email" },
        { detail: "is too short (minimum is 8 characters)", pointer: "/password" },
      ],
    });
  });
});

describe("the X-message-code header with other dialects", () => {
  it("the body's own code wins over the header", () => {
    const body = `{"error":{"status":409,"message":"Taken.","code":"EmailAlreadyExists"}}`;
    const { problem, log } = normalize(409, { ...JSON_TYPE, "x-message-code": "PASSWORD_LOCKED" }, body);
    expect(problem).toEqual({ ...blank(409, "Conflict"), detail: "Taken.", code: "EmailAlreadyExists" });
    expect(log.dialect).toBe("error-envelope");
  });
});
