import { Validator } from "@cfworker/json-schema";
import { expect } from "vitest";
// RFC 9457's published JSON Schema (ietf-wg-httpapi/rfc7807bis schema/json/problem.json),
// copied verbatim from shared/standards so a fresh clone can run the tests.
import schema from "../fixtures/problem.schema.json";

const validator = new Validator(schema as Record<string, unknown>, "2020-12", false);

/** Fails the test unless `value` validates against RFC 9457's schema (formats checked). */
export function expectValidProblem(value: unknown): void {
  const result = validator.validate(value);
  expect(result.errors, JSON.stringify(value)).toEqual([]);
  expect(result.valid).toBe(true);
}

/** Reads a response as a problem, checking media type and schema. */
export async function readProblem(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body: unknown = await res.json();
  expectValidProblem(body);
  const problem = body as Record<string, unknown>;
  expect(problem.status).toBe(res.status);
  return problem;
}
