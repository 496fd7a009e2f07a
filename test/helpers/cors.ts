/** Checks for the CORS tests (test/integration/cors/). */
import { expect } from "vitest";

export const APP = "https://app.example.com";

/** What a page on `origin` needs to read this answer: its origin echoed, Vary: Origin, the default exposed headers. */
export function expectReadable(res: Response, origin = APP): void {
  expect(res.headers.get("access-control-allow-origin"), `status ${res.status}`).toBe(origin);
  expect(res.headers.get("vary")?.split(/\s*,\s*/)).toContain("Origin");
  expect(res.headers.get("access-control-expose-headers")).toMatch(/^RateLimit, RateLimit-Policy, Retry-After, X-Request-Id, WWW-Authenticate(, |$)/);
}

/** An answer that grants the page nothing: no Access-Control-* header at all. */
export function expectNoCorsHeaders(res: Response): void {
  expect([...res.headers.keys()].filter((name) => name.startsWith("access-control-")), `status ${res.status}`).toEqual([]);
}

export function preflightInit(origin: string, method: string, headers?: string, extra: Record<string, string> = {}): RequestInit {
  const init: Record<string, string> = { origin, "access-control-request-method": method, ...extra };
  if (headers !== undefined) init["access-control-request-headers"] = headers;
  return { method: "OPTIONS", headers: init };
}
