// JSON error bodies over the read budget are read in a bounded head and tail.
import { describe, expect, it } from "vitest";
import { READ_BUDGET, parseJson } from "../../../src/normalize/bounded-json";
import { JSON_TYPE, normalize } from "./normalize-helper";

const item = (i: number) => ({ status: "422", code: "invalid", title: "Invalid Attribute", detail: `Line ${i} is invalid.`, source: { pointer: `/data/lines/${i}` } });
const errors = (n: number) => Array.from({ length: n }, (_, i) => item(i));

describe("parseJson", () => {
  it("parses a body within the budget whole", () => {
    expect(parseJson(`{"message":"m"}`)).toEqual({ value: { message: "m" }, partial: false });
    expect(parseJson(`{"message":`)).toBeUndefined();
  });

  it("reads a long list up to its last complete item, never half an item", () => {
    const text = JSON.stringify({ errors: errors(400) });
    const parsed = parseJson(text);
    expect(parsed?.partial).toBe(true);
    const read = (parsed?.value as { errors: unknown[] }).errors;
    expect(read.length).toBeGreaterThan(10);
    expect(read.length).toBeLessThan(400);
    read.forEach((e, i) => expect(e).toEqual(item(i)));
  });

  it("reads the top-level members after a long list from the tail", () => {
    const parsed = parseJson(JSON.stringify({ errors: errors(400), message: "The order has 400 invalid lines.", meta: { requestId: "r-1" } }));
    expect(parsed?.value).toMatchObject({ message: "The order has 400 invalid lines.", meta: { requestId: "r-1" } });
  });

  it("does not let a long string use up the budget", () => {
    const text = JSON.stringify({ trace: "at x\n".repeat(5000), message: "Validation failed" });
    expect(text.length).toBeGreaterThan(READ_BUDGET);
    expect(parseJson(text)).toEqual({ value: JSON.parse(text), partial: false });
  });

  it("reads a body cut mid-string up to the last complete member of its envelopes", () => {
    const text = `{"error":{"code":"TooMuch","status":422,"message":"${"x".repeat(20_000)}`;
    expect(parseJson(text)).toEqual({ value: { error: { code: "TooMuch", status: 422 } }, partial: true });
  });
});

describe("a long error body, normalized", () => {
  it("keeps the message written after 400 errors, the first errors, and says it read part", () => {
    const body = JSON.stringify({ errors: errors(400).map(({ detail, source }) => ({ detail, source })), message: "The order has 400 invalid lines." });
    const { problem, log } = normalize(422, JSON_TYPE, body);
    expect(problem.detail).toBe("The order has 400 invalid lines.");
    expect(problem.errors).toHaveLength(50);
    expect((problem.errors as unknown[])[0]).toEqual({ detail: "Line 0 is invalid.", pointer: "/data/lines/0" });
    expect(log.dialect).toBe("jsonapi+partial");
  });
});
