import { describe, expect, it } from "vitest";
import { looksLikeJwt, readCredentials, withoutQueryParam, type CredentialSources } from "../../../src/auth/credentials";

const sources: CredentialSources = { apiKeyHeader: "x-api-key", readsApiKeys: true };
const read = (headers: Record<string, string>, url = "https://gw.test/x", s: CredentialSources = sources) => readCredentials(new Headers(headers), url, s);

describe("reading the presented credential", () => {
  it("finds a bearer token (scheme case-insensitive, RFC 9110 §11.1) or an API key", () => {
    expect(read({ authorization: "Bearer abc.def-_~+/==" })).toEqual({ kind: "bearer", token: "abc.def-_~+/==" });
    expect(read({ authorization: "bEaReR   tok" })).toEqual({ kind: "bearer", token: "tok" });
    expect(read({ "x-api-key": "pcl_k" })).toEqual({ kind: "api_key", key: "pcl_k" });
  });

  it("reports nothing for no credential or another well-formed scheme", () => {
    expect(read({})).toEqual({ kind: "none" });
    expect(read({ authorization: "Basic dXNlcjpwYXNz" })).toEqual({ kind: "none" });
    expect(read({ authorization: 'Digest username="a", realm="b"' })).toEqual({ kind: "none" });
    expect(read({ authorization: "Negotiate" })).toEqual({ kind: "none" });
  });

  it.each([
    ["Bearer"],
    ["Bearer "],
    ["Bearer a b"],
    ["Bearer a,b"],
    ["Bearer a=b=c="],
    ["Bearer tok@en"],
    ["Token a b c"],
    ['"quoted" x'],
  ])("calls Authorization: %j malformed", (value) => {
    expect(read({ authorization: value }).kind).toBe("malformed");
  });

  it("calls an empty, repeated or odd API key malformed, and two credentials at once", () => {
    expect(read({ "x-api-key": "" }).kind).toBe("malformed");
    expect(read({ "x-api-key": "a, b" }).kind).toBe("malformed");
    expect(read({ "x-api-key": "a", authorization: "Bearer b" }).kind).toBe("malformed");
  });

  it("reads the query parameter only when configured, and only once", () => {
    const withParam = { ...sources, apiKeyQueryParam: "api_key" };
    expect(read({}, "https://gw.test/x?api_key=k")).toEqual({ kind: "none" });
    expect(read({}, "https://gw.test/x?api_key=k%2B1", withParam)).toEqual({ kind: "api_key", key: "k+1" });
    expect(read({}, "https://gw.test/x?api_key=a&api_key=b", withParam).kind).toBe("malformed");
    expect(read({}, "https://gw.test/x?api_key=", withParam).kind).toBe("malformed");
  });

  it("ignores the API-key header and parameter on JWT-only routes", () => {
    const jwtOnly = { ...sources, apiKeyQueryParam: "api_key", readsApiKeys: false };
    expect(read({ "x-api-key": "" }, "https://gw.test/x?api_key=", jwtOnly)).toEqual({ kind: "none" });
  });
});

describe("helpers", () => {
  it("tells a compact JWS from an API key", () => {
    expect(looksLikeJwt("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")).toBe(true);
    expect(looksLikeJwt("pcl_abcDEF123-_")).toBe(false);
    expect(looksLikeJwt("a.b.")).toBe(false);
  });

  it("removes one parameter and keeps every other byte of the query", () => {
    expect(withoutQueryParam("https://gw.test/p?a=%2F&api_key=k&b=x+y&a=2", "api_key")).toBe("https://gw.test/p?a=%2F&b=x+y&a=2");
    expect(withoutQueryParam("https://gw.test/p?api_key=k", "api_key")).toBe("https://gw.test/p");
    expect(withoutQueryParam("https://gw.test/p?api%5Fkey=k&c", "api_key")).toBe("https://gw.test/p?c");
    expect(withoutQueryParam("https://gw.test/p?x=1", "api_key")).toBe("https://gw.test/p?x=1");
  });
});
