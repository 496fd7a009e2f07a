// The [vars.PORTCULLIS.errors] table and a route's error_codes: defaults, and
// every mistake reported under its key path, all in one run.
import { describe, expect, it } from "vitest";
import { DEFAULT_ERRORS_CONFIG, parseErrorCodes, parseErrorsConfig } from "../../../src/normalize/config";
import { DEFAULT_CODE_HEADERS } from "../../../src/normalize/header-codes";

function parse(raw: unknown): { config: ReturnType<typeof parseErrorsConfig>; issues: string[] } {
  const issues: string[] = [];
  return { config: parseErrorsConfig(raw, "errors", issues), issues };
}

describe("parseErrorsConfig", () => {
  it("applies the defaults when the table is absent or empty", () => {
    expect(parse(undefined)).toEqual({ config: DEFAULT_ERRORS_CONFIG, issues: [] });
    expect(parse({})).toEqual({
      config: { maxBodyBytes: 65536, maxDetailLength: 500, exposeServerErrors: false, codes: {}, codeHeaders: DEFAULT_CODE_HEADERS },
      issues: [],
    });
  });

  it("reads every key", () => {
    const raw = {
      max_body_bytes: 16384,
      max_detail_length: 300,
      expose_server_errors: true,
      codes: {
        EmailAlreadyExists: { type: "https://errors.example.com/email-taken", title: "Email already taken" },
        PASSWORD_LOCKED: { type: "tag:example.com,2026:password-locked" },
        "Mismatched group id": { type: "https://errors.example.com/group-mismatch" },
      },
      code_headers: ["X-message-code", "X-Error-Code"],
    };
    expect(parse(raw)).toEqual({
      config: {
        maxBodyBytes: 16384,
        maxDetailLength: 300,
        exposeServerErrors: true,
        codes: {
          EmailAlreadyExists: { type: "https://errors.example.com/email-taken", title: "Email already taken" },
          PASSWORD_LOCKED: { type: "tag:example.com,2026:password-locked" },
          "Mismatched group id": { type: "https://errors.example.com/group-mismatch" },
        },
        codeHeaders: ["X-message-code", "X-Error-Code"],
      },
      issues: [],
    });
  });

  it("code_headers: the default list, a list of its own, or none", () => {
    expect(DEFAULT_CODE_HEADERS).toEqual(["X-message-code", "x-amzn-ErrorType", "x-ms-error-code"]);
    expect(parse({ code_headers: [] }).config.codeHeaders).toEqual([]);
    const { config, issues } = parse({ code_headers: ["X-message-code", "Bad Header", 7, "x-ok"] });
    expect(config.codeHeaders).toEqual(["X-message-code", "x-ok"]);
    expect(issues).toEqual([
      'errors.code_headers[1]: expected a header field name (RFC 9110 §5.1), got "Bad Header"',
      "errors.code_headers[2]: expected a string, got 7",
    ]);
    expect(parse({ code_headers: "X-message-code" }).issues).toEqual(['errors.code_headers: expected an array, got "X-message-code"']);
  });

  it("names every mistake with its key path, in one run", () => {
    const raw = {
      max_body_byte: 1024,
      max_body_bytes: "64KB",
      max_detail_length: 0,
      expose_server_errors: "yes",
      codes: {
        NoType: { title: "Has no type" },
        Relative: { type: "/errors/relative" },
        NotAUri: { type: "https://errors.example.com/a b" },
        Blank: { type: "about:blank" },
        EmptyTitle: { type: "https://errors.example.com/x", title: "" },
        Typo: { type: "https://errors.example.com/y", titel: "Oops" },
        "Mismatched group id": "https://errors.example.com/group-mismatch",
        " Padded": { type: "https://errors.example.com/z" },
      },
    };
    const { config, issues } = parse(raw);
    expect(issues).toEqual([
      'errors.max_body_byte: unknown key (did you mean "max_body_bytes"?)',
      'errors.max_body_bytes: expected a positive integer up to 1048576, got "64KB"',
      "errors.max_detail_length: expected a positive integer up to 4096, got 0",
      'errors.expose_server_errors: expected true or false, got "yes"',
      'errors.codes.NoType.type: expected an absolute URI other than about:blank (e.g. "https://errors.example.com/email-taken"), got nothing',
      'errors.codes.Relative.type: expected an absolute URI other than about:blank (e.g. "https://errors.example.com/email-taken"), got "/errors/relative"',
      'errors.codes.NotAUri.type: expected an absolute URI other than about:blank (e.g. "https://errors.example.com/email-taken"), got "https://errors.example.com/a b"',
      'errors.codes.Blank.type: expected an absolute URI other than about:blank (e.g. "https://errors.example.com/email-taken"), got "about:blank"',
      'errors.codes.EmptyTitle.title: expected a non-empty string, got ""',
      'errors.codes.Typo.titel: unknown key (did you mean "title"?)',
      'errors.codes."Mismatched group id": expected a table, got "https://errors.example.com/group-mismatch"',
      'errors.codes." Padded": a code is matched exactly as the origin sends it; remove the surrounding spaces or control characters',
    ]);
    // Bad values fall back to their defaults; only valid entries are kept.
    expect(config).toEqual({
      maxBodyBytes: 65536,
      maxDetailLength: 500,
      exposeServerErrors: false,
      codes: { EmptyTitle: { type: "https://errors.example.com/x" }, Typo: { type: "https://errors.example.com/y" } },
      codeHeaders: DEFAULT_CODE_HEADERS,
    });
  });

  it("rejects a table that is not one", () => {
    expect(parse("strict").issues).toEqual(['errors: expected a table, got "strict"']);
    expect(parse({ codes: ["EmailAlreadyExists"] }).issues).toEqual(["errors.codes: expected a table, got an array"]);
  });
});

describe("parseErrorCodes (a route's error_codes)", () => {
  it("is undefined when absent, so the global table applies", () => {
    const issues: string[] = [];
    expect(parseErrorCodes(undefined, "routes[1].error_codes", issues)).toBeUndefined();
    expect(issues).toEqual([]);
  });

  it("reports under the route's path", () => {
    const issues: string[] = [];
    const codes = parseErrorCodes({ InvalidPayload: { type: "errors/invalid" }, RateLimited: { type: "https://e.example/rl" } }, "routes[1].error_codes", issues);
    expect(codes).toEqual({ RateLimited: { type: "https://e.example/rl" } });
    expect(issues).toEqual([
      'routes[1].error_codes.InvalidPayload.type: expected an absolute URI other than about:blank (e.g. "https://errors.example.com/email-taken"), got "errors/invalid"',
    ]);
  });

  it("keeps a code named __proto__ as an ordinary entry", () => {
    const issues: string[] = [];
    const raw = JSON.parse(`{"__proto__": {"type": "https://e.example/proto"}}`) as unknown;
    const codes = parseErrorCodes(raw, "errors.codes", issues) ?? {};
    expect(issues).toEqual([]);
    expect(Object.hasOwn(codes, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(codes)).toBe(Object.prototype);
  });
});
