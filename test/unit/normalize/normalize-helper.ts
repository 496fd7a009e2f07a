import { expect } from "vitest";
import { expectValidProblem } from "../../helpers/problem-schema";
import { normalizeOriginError } from "../../../src/normalize/normalize-origin-error";
import type { NormalizeOptions, NormalizedError } from "../../../src/normalize/normalize-origin-error";

export const CONTEXT = { requestId: "req-7f3a", instance: "/v1/users" } as const;

export const DEFAULT_OPTIONS: NormalizeOptions = { exposeServerErrors: false, maxDetailLength: 500, codeTypes: {} };

/**
 * Normalizes one origin error the way the proxy does, and checks the two
 * promises every result keeps: RFC 9457's schema, and the origin's status.
 */
export function normalize(
  status: number,
  headers: Record<string, string>,
  body: string,
  options: Partial<NormalizeOptions> = {},
): NormalizedError {
  const result = normalizeOriginError(
    { status, headers: new Headers(headers), text: body, truncated: false },
    { ...DEFAULT_OPTIONS, ...options },
    CONTEXT,
  );
  expectValidProblem(result.problem);
  expect(result.problem.status).toBe(status);
  return result;
}

/** The members every normalized problem carries, for exact expectations. */
export function blank(status: number, title: string): { type: string; title: string; status: number; instance: string; request_id: string } {
  return { type: "about:blank", title, status, instance: CONTEXT.instance, request_id: CONTEXT.requestId };
}

export const JSON_TYPE = { "content-type": "application/json" } as const;
