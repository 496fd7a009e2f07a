// Origin matching: whole origins on scheme, host and port; wildcards only as
// the leftmost label; never a substring, prefix or pattern match.
import { describe, expect, it } from "vitest";
import { compileOrigins, originAllowed, parseOriginEntry } from "../../../src/cors/origins";

const matcher = compileOrigins(["https://app.example.com", "http://127.0.0.1:5173", "https://*.example.com", "https://*.staging.example.net:8443"]);
const allowed = (origin: string) => originAllowed(matcher, origin);

describe("exact origins", () => {
  it("match the serialized origin a browser sends, and nothing else", () => {
    expect(allowed("https://app.example.com")).toBe(true);
    expect(allowed("http://127.0.0.1:5173")).toBe(true);
    expect(allowed("http://127.0.0.1:5174")).toBe(false);
    expect(allowed("http://127.0.0.1")).toBe(false);
    expect(allowed("https://127.0.0.1:5173")).toBe(false);
    expect(allowed("https://app.example.com/")).toBe(false);
  });

  it("are normalized as a browser would serialize them", () => {
    expect(parseOriginEntry("HTTPS://App.Example.COM:443")).toEqual({ origin: "https://app.example.com" });
    expect(parseOriginEntry("http://[::1]:8080")).toEqual({ origin: "http://[::1]:8080" });
    expect(originAllowed(compileOrigins(["https://App.Example.com:443"]), "https://app.example.com")).toBe(true);
  });
});

describe("subdomain wildcards", () => {
  it("match any subdomain, at any depth, on the same scheme and port", () => {
    expect(allowed("https://a.example.com")).toBe(true);
    expect(allowed("https://a.b.example.com")).toBe(true);
    expect(allowed("https://x-1.staging.example.net:8443")).toBe(true);
  });

  it("do not match the domain itself, look-alikes, or another scheme or port", () => {
    for (const origin of [
      "https://example.com",
      "https://evil-example.com",
      "https://evilexample.com",
      "https://example.com.evil.com",
      "https://a.example.com.evil.com",
      "http://a.example.com",
      "https://a.example.com:8443",
      "https://x.staging.example.net",
      "https://x.staging.example.net:9443",
      "https://.example.com",
      "https://a..example.com",
      "https://user@a.example.com",
      "https://a.example.com:8443.example.com",
      "https://a/b.example.com",
      "null",
      "",
    ]) {
      expect(allowed(origin), origin).toBe(false);
    }
  });
});

describe('"*"', () => {
  it("admits every origin, null included (Access-Control-Allow-Origin: * is no secret)", () => {
    const any = compileOrigins(["*"]);
    expect(originAllowed(any, "https://anything.test")).toBe(true);
    expect(originAllowed(any, "null")).toBe(true);
  });
});

describe("entries that are refused", () => {
  it.each([
    ["null", /sandboxed frames/],
    ["example.com", /expected "https:\/\/" or "http:\/\/"/],
    ["*.example.com", /expected "https:\/\/"/],
    [".*\\.example\\.com", /regular expressions are not supported/],
    ["ftp://files.example.com", /only http and https/],
    ["https://app.example.com/", /no path, trailing slash/],
    ["https://app.example.com/app", /no path/],
    ["https://app.example.com?x=1", /query/],
    ["https://user@app.example.com", /user name/],
    ["https://*", /whole leftmost label/],
    ["https://*example.com", /whole leftmost label/],
    ["https://a*.example.com", /whole leftmost label/],
    ["https://a.*.example.com", /whole leftmost label/],
    ["https://*.*.example.com", /whole leftmost label/],
    ["https://*.com", /every site under a top-level domain/],
    ["https://*.10.0.0.1", /not a valid host name/],
    ["https://app.example.com:99999", /host or port is not valid/],
  ])("%s", (entry, problem) => {
    const parsed = parseOriginEntry(entry);
    expect("problem" in parsed ? parsed.problem : "accepted").toMatch(problem);
  });
});
