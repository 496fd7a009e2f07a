import { describe, expect, it } from "vitest";
import { bearerChallenge, insufficientScope, invalidCredentials, malformedCredentials, missingCredentials } from "../../../src/auth/www-authenticate";

describe("Bearer challenges (RFC 6750 §3)", () => {
  it("builds the exact header values", () => {
    expect(bearerChallenge("api")).toBe('Bearer realm="api"');
    expect(bearerChallenge("api", "invalid_token")).toBe('Bearer realm="api", error="invalid_token"');
    expect(bearerChallenge("api", "insufficient_scope", ["a", "b:c"])).toBe('Bearer realm="api", error="insufficient_scope", scope="a b:c"');
  });

  it("pairs each failure with its status, problem type and challenge, keeping the cause private", () => {
    const cases = [
      [missingCredentials("r"), 401, "unauthenticated", 'Bearer realm="r"'],
      [invalidCredentials("r", "key expired"), 401, "unauthenticated", 'Bearer realm="r", error="invalid_token"'],
      [malformedCredentials("r", "bad"), 400, "invalid-credentials-request", 'Bearer realm="r", error="invalid_request"'],
      [insufficientScope("r", ["s"], "lacks s"), 403, "insufficient-scope", 'Bearer realm="r", error="insufficient_scope", scope="s"'],
    ] as const;
    for (const [error, status, kind, challenge] of cases) {
      expect(error.status).toBe(status);
      expect(error.kind).toBe(kind);
      expect(error.headers["www-authenticate"]).toBe(challenge);
      expect(error.detail).not.toMatch(/expired|lacks/);
    }
  });
});
