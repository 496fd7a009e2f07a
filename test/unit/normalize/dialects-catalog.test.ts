// scripts/dialects.mjs feeds the demo origin, the e2e origin and docs/origin-errors.md's
// examples: each entry must be recognized as the dialect it is named for.
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../scripts/dialects.mjs";
import { normalize } from "./normalize-helper";

describe("the dialect catalog", () => {
  it("has one entry per path", () => {
    expect(new Set(DIALECTS.map((d) => d.path)).size).toBe(DIALECTS.length);
  });

  it.each(DIALECTS.map((d) => [d.name, d] as const))("%s", (_, example) => {
    const { log } = normalize(example.status, example.headers, example.body);
    expect(log.dialect).toBe(example.dialect);
  });

  it("the 500 with a stack trace leaks nothing, even with server errors exposed", () => {
    const example = DIALECTS.find((d) => d.path === "/errors/stack-trace");
    expect(example).toBeDefined();
    if (example === undefined) return;
    const exposed = JSON.stringify(normalize(example.status, example.headers, example.body, { exposeServerErrors: true }).problem);
    for (const secret of ["/app/", "users.js", "s3cret", "postgres", "db.internal", "stack"]) expect(exposed).not.toContain(secret);
  });
});
