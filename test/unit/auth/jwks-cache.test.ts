// The JWKS cache with an injected clock and fetch (standing in for the issuer).
import { errors, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { JwksCache, JwksUnavailable } from "../../../src/auth/jwks";
import { signingKey, token, type SigningKey } from "../../helpers/auth";

const URL = "https://issuer.test/jwks.json";

function issuer(initial: SigningKey[]) {
  const state = { keys: initial, status: 200, body: undefined as string | undefined, fetches: 0, now: 0 };
  const cache = new JwksCache(URL, {
    cooldownMs: 30_000,
    maxAgeMs: 600_000,
    now: () => state.now,
    fetch: async () => {
      state.fetches++;
      return new Response(state.body ?? JSON.stringify({ keys: state.keys.map((k) => k.jwk) }), { status: state.status });
    },
  });
  const verify = async (key: SigningKey) => jwtVerify(await token(key), cache.getKey);
  return { state, cache, verify };
}

describe("JwksCache", () => {
  it("lets each cold request fetch for itself (none waits on another's fetch), then keeps keys for maxAgeMs", async () => {
    const key = await signingKey("ES256", "a");
    const { state, verify } = issuer([key]);
    await Promise.all([verify(key), verify(key), verify(key)]);
    expect(state.fetches).toBeLessThanOrEqual(3);
    const cold = state.fetches;
    await verify(key);
    state.now = 599_999;
    await verify(key);
    expect(state.fetches).toBe(cold);
    state.now = 600_000;
    await verify(key);
    expect(state.fetches).toBe(cold + 1);
  });

  it("drops a key removed from the set once maxAgeMs has passed, even with no unknown kid", async () => {
    const key = await signingKey("ES256", "a");
    const { state, verify } = issuer([key]);
    await verify(key);
    state.keys = [await signingKey("ES256", "b")];
    state.now = 600_000;
    await expect(verify(key)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it("refetches for an unknown kid at most once per cooldown", async () => {
    const key = await signingKey("ES256", "a");
    const { state, verify } = issuer([key]);
    await verify(key);
    await expect(verify(await signingKey("ES256", "x"))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(state.fetches).toBe(1); // within the cooldown of the first fetch
    state.now = 30_000;
    await expect(verify(await signingKey("ES256", "y"))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    await expect(verify(await signingKey("ES256", "z"))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(state.fetches).toBe(2);
  });

  it.each([
    ["an error status", { status: 500 }],
    ["a redirect", { status: 302 }],
    ["a body that is not a key set", { body: '{"keys":"no"}' }],
    ["a body over 256 KiB", { body: `{"keys":[],"pad":"${"x".repeat(300_000)}"}` }],
  ])("is unavailable after %s, without retrying within the cooldown", async (_, failure) => {
    const key = await signingKey("ES256", "a");
    const { state, verify } = issuer([key]);
    Object.assign(state, failure);
    const error = await verify(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JwksUnavailable);
    expect(error instanceof JwksUnavailable && error.retryAfterSeconds).toBe(30);
    Object.assign(state, { status: 200, body: undefined, now: 29_000 });
    await expect(verify(key)).rejects.toBeInstanceOf(JwksUnavailable);
    expect(state.fetches).toBe(1);
    state.now = 30_000;
    await expect(verify(key)).resolves.toBeDefined();
  });
});
