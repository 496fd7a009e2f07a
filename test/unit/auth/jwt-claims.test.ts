import { describe, expect, it } from "vitest";
import { hmacSecret, verifyJwt } from "../../../src/auth/jwt";
import type { JwtConfig } from "../../../src/auth/jwt-config";
import { hmacKey, token } from "../../helpers/auth";

const config = (extra: Partial<JwtConfig> = {}): JwtConfig => ({
  algorithms: ["HS256"],
  key: { kind: "secret", binding: "S" },
  leewaySeconds: 0,
  consumerClaim: "sub",
  ...extra,
});

describe("identity from JWT claims", () => {
  it("takes the consumer from consumer_claim and the subject from sub", async () => {
    const jwt = await token(hmacKey(), { sub: "user-7", client_id: "mobile-app" });
    expect(await verifyJwt(jwt, hmacKey(), config({ consumerClaim: "client_id" }), new Date())).toEqual({
      ok: true,
      claims: { consumer: "mobile-app", scopes: [], subject: "user-7" },
      // Until when the verification may be reused: exp plus the leeway.
      expiresAt: expect.any(Number),
    });
  });

  it("refuses a token whose consumer claim is missing, not a string or not header-safe", async () => {
    const cases: Record<string, unknown>[] = [{ sub: undefined }, { sub: 42 }, { sub: "line\nbreak" }, { sub: "ünïcode" }];
    for (const claims of cases) {
      const result = await verifyJwt(await token(hmacKey(), claims), hmacKey(), config(), new Date());
      expect(result).toEqual({ ok: false, cause: 'JWT claim "sub" is missing or not a usable consumer id (1-256 printable ASCII characters)' });
    }
  });

  it("judges time against the given clock", async () => {
    const jwt = await token(hmacKey(), { exp: 2_000 });
    expect((await verifyJwt(jwt, hmacKey(), config(), new Date(1_999_000))).ok).toBe(true);
    expect(await verifyJwt(jwt, hmacKey(), config(), new Date(2_000_000))).toMatchObject({ ok: false, cause: expect.stringContaining("ERR_JWT_EXPIRED") });
  });
});

describe("HMAC secret length (RFC 7518 §3.2)", () => {
  it("needs at least as many bytes as the largest hash output", () => {
    expect(hmacSecret("x".repeat(32), ["HS256"])).toBeInstanceOf(Uint8Array);
    expect(hmacSecret("x".repeat(32), ["HS256", "HS512"])).toBe("the HMAC secret has 32 bytes; HS256/HS512 need at least 64 (RFC 7518 §3.2)");
  });
});
