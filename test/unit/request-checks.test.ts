import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../src/config/gateway-config";
import { checkMediaType, checkMethod, checkRequestSize, readBodyFraming } from "../../src/limits/request-checks";
import { GatewayError } from "../../src/problems";

const parsed = parseGatewayConfig({ ORIGIN_URL: "https://o.test", PORTCULLIS: { defaults: { methods: ["GET", "POST"], accept: ["application/json"] } } });
if (!parsed.ok) throw new Error("config");
const settings = parsed.config.defaultRoute.settings;

describe("Content-Length framing (RFC 9112 §6.3)", () => {
  const framing = (headers: Record<string, string>, hasBody = true) => readBodyFraming(new Headers(headers), hasBody);
  it("reads a valid length and identical repeats", () => {
    expect(framing({ "content-length": "12" })).toEqual({ kind: "length", length: 12 });
    expect(framing({ "content-length": "12, 12" })).toEqual({ kind: "length", length: 12 });
    expect(framing({})).toEqual({ kind: "stream" });
    expect(framing({}, false)).toEqual({ kind: "none" });
  });
  it("rejects invalid, negative, conflicting, and CL together with TE", () => {
    const cases: Record<string, string>[] = [{ "content-length": "abc" }, { "content-length": "-1" }, { "content-length": "1.5" }, { "content-length": "5, 6" }, { "content-length": "5", "transfer-encoding": "chunked" }];
    for (const headers of cases) {
      const result = framing(headers);
      expect(result).toBeInstanceOf(GatewayError);
      expect((result as GatewayError).kind).toBe("invalid-request");
    }
  });
});

describe("method check (RFC 9110 §15.5.6)", () => {
  it("answers 405 with Allow listing the route's methods", () => {
    expect(checkMethod("GET", settings)).toBeUndefined();
    const error = checkMethod("DELETE", settings);
    expect(error?.status).toBe(405);
    expect(error?.headers).toEqual({ allow: "GET, POST, HEAD" });
  });
});

describe("media type check (RFC 9110 §15.5.16)", () => {
  it("answers 415 for a body in a type the route does not accept, or with none", () => {
    const len = { kind: "length", length: 2 } as const;
    expect(checkMediaType("POST", "application/json; charset=utf-8", len, settings)).toBeUndefined();
    expect(checkMediaType("POST", "text/plain", len, settings)?.headers).toEqual({ accept: "application/json", "accept-post": "application/json" });
    expect(checkMediaType("PATCH", null, len, settings)?.headers).toEqual({ accept: "application/json", "accept-patch": "application/json" });
    expect(checkMediaType("POST", null, { kind: "length", length: 0 }, settings)).toBeUndefined();
    expect(checkMediaType("GET", null, { kind: "none" }, settings)).toBeUndefined();
  });
});

describe("request size (414 / 431)", () => {
  it("limits the request target and header bytes", () => {
    const limits = { maxUrlLength: 10, maxHeaderBytes: 20 };
    expect(checkRequestSize("/short", new Headers(), limits)).toBeUndefined();
    expect(checkRequestSize("/much-too-long", new Headers(), limits)?.status).toBe(414);
    expect(checkRequestSize("/", new Headers({ "x-big": "0123456789abcdef" }), limits)?.status).toBe(431);
  });
});
