import { describe, expect, it } from "vitest";
import { acceptsMediaType, isValidMediaRange, parseMediaType } from "../../src/media-type";

const ranges = (...r: string[]) => r.map((x) => parseMediaType(x) ?? { type: "", subtype: "" });

describe("media-type matching", () => {
  it("ignores case and parameters", () => {
    expect(acceptsMediaType(ranges("application/json"), "Application/JSON; charset=utf-8")).toBe(true);
    expect(acceptsMediaType(ranges("application/json"), "application/xml")).toBe(false);
  });

  it("supports type/* and */*", () => {
    expect(acceptsMediaType(ranges("text/*"), "text/csv")).toBe(true);
    expect(acceptsMediaType(ranges("text/*"), "image/png")).toBe(false);
    expect(acceptsMediaType(ranges("*/*"), "image/png")).toBe(true);
  });

  it("supports structured suffixes (RFC 6838 §4.2.8)", () => {
    expect(acceptsMediaType(ranges("application/*+json"), "application/scim+json")).toBe(true);
    expect(acceptsMediaType(ranges("application/*+json"), "application/json")).toBe(false);
    expect(acceptsMediaType(ranges("application/*+json"), "application/xhtml+xml")).toBe(false);
  });

  it("treats a missing or malformed Content-Type as not accepted", () => {
    expect(acceptsMediaType(ranges("*/*"), null)).toBe(false);
    expect(acceptsMediaType(ranges("*/*"), "json")).toBe(false);
  });

  it("validates ranges written in config", () => {
    expect(isValidMediaRange("application/*+json")).toBe(true);
    expect(isValidMediaRange("*/json")).toBe(false);
    expect(isValidMediaRange("application/json; charset=utf-8")).toBe(false);
    expect(isValidMediaRange("json")).toBe(false);
  });
});
