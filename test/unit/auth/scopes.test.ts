import { describe, expect, it } from "vitest";
import { isScopeToken, missingScopes, scopesFromClaims } from "../../../src/auth/scopes";

describe("scopes", () => {
  it("reads `scope` (space-separated) and `scp` (array or string), united", () => {
    expect(scopesFromClaims({ scope: "a b  c" })).toEqual(["a", "b", "c"]);
    expect(scopesFromClaims({ scp: ["a", "d"], scope: "a" })).toEqual(["a", "d"]);
    expect(scopesFromClaims({ scp: "x y" })).toEqual(["x", "y"]);
    expect(scopesFromClaims({})).toEqual([]);
  });

  it("drops values that are not RFC 6749 §3.3 scope tokens", () => {
    expect(scopesFromClaims({ scp: ["ok", 'q"uote', "back\\slash", 7, "caf\u00e9"] })).toEqual(["ok"]);
    expect(isScopeToken("orders:read")).toBe(true);
    expect(isScopeToken("")).toBe(false);
  });

  it("requires every scope, case-sensitively", () => {
    expect(missingScopes(["a", "B"], ["a", "b"])).toEqual(["B"]);
    expect(missingScopes([], [])).toEqual([]);
  });
});
