import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../../src/config/gateway-config";

const parse = (jwt: unknown) => parseGatewayConfig({ ORIGIN_URL: "https://api.example.com", PORTCULLIS: { auth: { jwt } } });
const issues = (jwt: unknown) => {
  const result = parse(jwt);
  return result.ok ? [] : result.issues;
};
const JWKS = { jwks_url: "https://idp.example.com/jwks.json", issuer: "https://idp.example.com/", audience: "api" };

describe("auth.jwt configuration", () => {
  it("reads a JWKS setup with its defaults", () => {
    const result = parse({ algorithms: ["RS256", "ES256"], ...JWKS });
    if (!result.ok) throw new Error(result.issues.join("\n"));
    expect(result.config.auth.jwt).toEqual({
      algorithms: ["RS256", "ES256"],
      key: { kind: "jwks", url: "https://idp.example.com/jwks.json", cooldownSeconds: 30, maxAgeSeconds: 600 },
      issuer: ["https://idp.example.com/"],
      audience: ["api"],
      leewaySeconds: 30,
      consumerClaim: "sub",
    });
  });

  it("reads an HMAC setup", () => {
    const result = parse({ algorithms: ["HS256"], secret_binding: "JWT_SECRET", leeway_seconds: 0, consumer_claim: "client_id" });
    expect(result.ok && result.config.auth.jwt).toMatchObject({ key: { kind: "secret", binding: "JWT_SECRET" }, leewaySeconds: 0, consumerClaim: "client_id" });
  });

  it("never accepts none, and requires a pinned list", () => {
    expect(issues({ algorithms: ["RS256", "none"], ...JWKS })).toEqual([
      'PORTCULLIS.auth.jwt.algorithms[1]: "none" is never accepted: unsigned tokens would let anyone in (RFC 8725 §3.1)',
    ]);
    expect(issues({ ...JWKS })).toEqual(['PORTCULLIS.auth.jwt.algorithms: required: the algorithms your issuer signs with, e.g. ["RS256"] or ["HS256"]']);
    expect(issues({ algorithms: [], ...JWKS })[0]).toBe("PORTCULLIS.auth.jwt.algorithms: expected at least one algorithm");
    expect(issues({ algorithms: ["RS257"], ...JWKS })[0]).toMatch(/^PORTCULLIS\.auth\.jwt\.algorithms\[0\]: expected one of "HS256", .*got "RS257"$/);
  });

  it("rejects HMAC mixed with public-key algorithms (algorithm confusion)", () => {
    expect(issues({ algorithms: ["HS256", "RS256"], secret_binding: "S", ...JWKS })).toEqual([
      "PORTCULLIS.auth.jwt.algorithms: mixes HMAC (HS*) and public-key algorithms; one family per gateway, so an HMAC token can never be checked against public key material (RFC 8725 §2.1)",
    ]);
  });

  it("requires the key source each family needs, and nothing else", () => {
    expect(issues({ algorithms: ["HS256"] })).toEqual([
      "PORTCULLIS.auth.jwt.secret_binding: required with HS* algorithms: the name of the wrangler secret holding the HMAC key (wrangler secret put JWT_SECRET)",
    ]);
    expect(issues({ algorithms: ["ES256"] })).toEqual([
      "PORTCULLIS.auth.jwt.jwks_url: required with public-key algorithms: the issuer's JSON Web Key Set URL",
      'PORTCULLIS.auth.jwt.issuer: required with jwks_url: the "iss" your issuer puts in tokens (RFC 8725 §3.8)',
      'PORTCULLIS.auth.jwt.audience: required with jwks_url: the "aud" tokens for this API carry (RFC 8725 §3.9)',
    ]);
    expect(issues({ algorithms: ["HS256"], secret_binding: "S", jwks_url: JWKS.jwks_url, jwks_cooldown_seconds: 5 })).toEqual([
      "PORTCULLIS.auth.jwt.jwks_url: only used with public-key algorithms; HS* algorithms take secret_binding",
      "PORTCULLIS.auth.jwt.jwks_cooldown_seconds: only used with jwks_url",
    ]);
    expect(issues({ algorithms: ["ES256"], ...JWKS, secret_binding: "S" })).toEqual([
      "PORTCULLIS.auth.jwt.secret_binding: only used with HS* algorithms; public-key algorithms take jwks_url",
    ]);
  });

  it("bounds leeway and timings, and wants https for the key set", () => {
    expect(issues({ algorithms: ["ES256"], ...JWKS, jwks_url: "http://idp.example.com/jwks", leeway_seconds: 301, jwks_cooldown_seconds: 0, secret_binding: undefined })).toEqual([
      'PORTCULLIS.auth.jwt.jwks_url: expected an https URL (plain http only for localhost), got "http://idp.example.com/jwks"',
      "PORTCULLIS.auth.jwt.jwks_cooldown_seconds: expected a positive integer up to 300, got 0",
      "PORTCULLIS.auth.jwt.leeway_seconds: expected at most 300, got 301",
    ]);
    expect(issues({ algorithms: ["ES256"], ...JWKS, jwks_url: "http://127.0.0.1:9999/jwks" })).toEqual([]);
    expect(issues({ algorithms: ["ES256"], ...JWKS, jwks_cooldown_seconds: 60, jwks_max_age_seconds: 30 })).toEqual([
      "PORTCULLIS.auth.jwt.jwks_max_age_seconds: must be at least jwks_cooldown_seconds (60), got 30",
    ]);
  });
});
