// Whatever the origin sends, the client gets a valid RFC 9457 problem with the
// origin's status, and normalization never throws.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectValidProblem } from "../../helpers/problem-schema";
import { normalizeOriginError } from "../../../src/normalize/normalize-origin-error";
import type { CodeType } from "../../../src/normalize/normalize-origin-error";
import { isUriReference } from "../../../src/normalize/uri";

/** Header values Headers accepts: visible ASCII and spaces, no CR/LF/NUL. */
const headerValue = fc.string({ unit: "binary-ascii", maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e\t]/g, "").trim());

const contentType = fc.oneof(
  fc.constantFrom(
    "application/json", "application/json; charset=utf-8", "application/problem+json", "application/scim+json",
    "application/vnd.api+json", "text/html; charset=iso-8859-1", "text/plain", "text/xml", "application/xml",
    "text/json", "application/graphql-response+json", "*/*", "json", ";charset=", "application/json; charset=\"",
  ),
  headerValue,
);

const headers = fc.record(
  { "content-type": contentType, "x-message-code": headerValue, "www-authenticate": fc.oneof(headerValue, fc.constant('Bearer error="invalid_token", error_description="x\\"y"')) },
  { requiredKeys: [] },
);

// Keys and leaves the dialect recognizers look at, so random bodies hit every branch.
const key = fc.oneof(
  fc.constantFrom(
    "type", "title", "status", "detail", "instance", "errors", "error", "message", "code", "schemas", "scimType",
    "__type", "statusCode", "error_description", "error_uri", "data", "extensions", "source", "pointer", "parameter",
    "field", "details", "fieldViolations", "@type", "param", "__proto__", "constructor", "traceId", "request_id", "description",
  ),
  fc.string({ maxLength: 8 }),
);
const leaf = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.integer({ min: -1, max: 1000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    "https://e.example/x", "about:blank", "urn:ietf:params:scim:api:messages:2.0:Error", "/var/www/app.php", "not a uri",
    "#/a~1b", "InvalidPayload", "Invalid Payload", "type.googleapis.com/google.rpc.BadRequest", "INVALID_ARGUMENT",
    "email must be an email", "items[0].name", "$.x", "http://[::1]/", "a\u0000b\u202e", "x".repeat(700),
  ),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 6 }),
  ),
}));

const html = fc
  .array(fc.oneof(fc.constantFrom("<html>", "<h1>", "</h1>", "<title>", "</title>", "<p>", "<script>", "</script>", "&amp;", "&#0;", "&#x110000;", "<!--", "-->", "<"), fc.string({ maxLength: 10 })), { maxLength: 12 })
  .map((parts) => parts.join(""));

const body = fc.oneof(
  value.map((v) => JSON.stringify(v) ?? ""),
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  html,
  fc.constantFrom("", "   ", "{", "[1,", '{"__proto__":{"x":1},"message":"m"}', "<?xml version='1.0'?><Error><Code>A</Code></Error>"),
);

const codeTypes = fc.dictionary(
  fc.oneof(fc.constantFrom("InvalidPayload", "invalid_token", "constructor", "__proto__"), fc.string({ maxLength: 6 })),
  fc.record({ type: fc.constantFrom("https://errors.example.com/a", "tag:example.com,2026:b", "not a uri", ""), title: fc.option(fc.string(), { nil: undefined }) }),
  { maxKeys: 4 },
) as fc.Arbitrary<Record<string, CodeType>>;

const POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;

describe("normalizeOriginError, for any origin response", () => {
  it("returns a valid problem with the origin's status, and never throws", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 599 }),
        headers,
        body,
        fc.boolean(),
        fc.integer({ min: 1, max: 600 }),
        codeTypes,
        (status, headerInit, text, exposeServerErrors, maxDetailLength, codes) => {
          const { problem, log } = normalizeOriginError(
            { status, headers: new Headers(headerInit), text, truncated: false },
            { exposeServerErrors, maxDetailLength, codeTypes: codes },
            { requestId: "req-1", instance: "/v1/users" },
          );
          expectValidProblem(problem);
          expect(problem.status).toBe(status);
          expect(problem.request_id).toBe("req-1");
          expect(problem.detail.length).toBeGreaterThan(0);
          expect(problem.detail.length).toBeLessThanOrEqual(Math.max(maxDetailLength, 200));
          expect(problem.detail).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
          expect(Object.getPrototypeOf(problem)).toBe(Object.prototype);
          expect(Object.hasOwn(problem, "__proto__")).toBe(false);
          if (problem.errors !== undefined) {
            expect(Array.isArray(problem.errors)).toBe(true);
            for (const error of problem.errors as { detail: unknown; pointer: unknown }[]) {
              expect(Object.keys(error)).toEqual(["detail", "pointer"]);
              expect(typeof error.detail).toBe("string");
              expect(error.pointer).toMatch(POINTER);
            }
          }
          if (problem.code !== undefined) expect(typeof problem.code).toBe("string");
          if (status >= 500 && !exposeServerErrors) {
            expect(Object.keys(problem).sort()).toEqual(["detail", "instance", "request_id", "status", "title", "type"]);
          }
          expect(typeof log.dialect).toBe("string");
          // The whole problem survives a JSON round trip unchanged (no undefined, NaN or functions).
          expect(JSON.parse(JSON.stringify(problem))).toEqual(problem);
        },
      ),
      { numRuns: 600 },
    );
  });

  it("clamps an impossible status to 502", () => {
    for (const status of [0, 99, 600, 1000, Number.NaN, 404.5]) {
      const { problem } = normalizeOriginError(
        { status, headers: new Headers(), text: "", truncated: false },
        { exposeServerErrors: false, maxDetailLength: 500, codeTypes: {} },
        { requestId: "req-1", instance: "/x y" },
      );
      expectValidProblem(problem);
      expect(problem.status).toBe(502);
      expect(problem.instance).toBe("/x%20y");
    }
  });
});

describe("isUriReference", () => {
  it("accepts nothing RFC 9457's schema (format uri-reference) rejects", () => {
    const uriChar = fc.constantFrom(..."aZ09-._~!$&'()*+,;=:@/?#%[] \"<>\\^`{|}éA%2F".split(""));
    const candidate = fc.oneof(
      fc.array(uriChar, { maxLength: 30 }).map((cs) => cs.join("")),
      fc.tuple(fc.constantFrom("https://", "urn:", "tag:", "//", "/", "#", "about:", "a:", ""), fc.array(uriChar, { maxLength: 20 })).map(([p, cs]) => p + cs.join("")),
    );
    fc.assert(
      fc.property(candidate, (uri) => {
        if (isUriReference(uri)) expectValidProblem({ type: uri, instance: uri });
      }),
      { numRuns: 2000 },
    );
  });
});
