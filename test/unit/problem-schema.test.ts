import { describe, expect, it } from "vitest";
import { Validator } from "@cfworker/json-schema";
import schema from "../fixtures/problem.schema.json";
import { expectValidProblem } from "../helpers/problem-schema";

describe("the RFC 9457 schema check itself", () => {
  it("accepts a minimal problem and rejects malformed members", () => {
    expectValidProblem({ type: "about:blank", title: "Not Found", status: 404 });
    const v = new Validator(schema as Record<string, unknown>, "2020-12", false);
    expect(v.validate({ status: "404" }).valid).toBe(false);
    expect(v.validate({ status: 99 }).valid).toBe(false);
    expect(v.validate({ type: "not a uri ref with spaces" }).valid).toBe(false);
    expect(v.validate({ instance: 42 }).valid).toBe(false);
  });
});
