import { describe, expect, it } from "vitest";
import { staticKeys, verifyApiKey } from "../../../src/auth/api-keys";
import { sha256, toHex } from "../../../src/digest";
import type { ApiKeyRecord } from "../../../src/auth/key-record";

const record = (extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({ consumer: "acme", scopes: ["a"], disabled: false, ...extra });
const digest = async (key: string) => toHex(await sha256(key));
/** A presented key as the request's one reading of it carries it: its SHA-256. */
const presented = async (key: string) => {
  const bytes = await sha256(key);
  return { digest: bytes, digestHex: toHex(bytes) };
};

describe("API-key verification", () => {
  it("hashes with SHA-256 to lower-case hex (FIPS 180-4 test vector)", async () => {
    expect(await digest("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("finds a key by its digest only", async () => {
    const keys = staticKeys(new Map([[await digest("pcl_good"), record()]]));
    const found = await verifyApiKey(await presented("pcl_good"), [keys], Date.now());
    expect(found).toMatchObject({ ok: true, record: { consumer: "acme" } });
    expect(found.ok && found.keyId).toBe((await digest("pcl_good")).slice(0, 12));
    expect(await verifyApiKey(await presented("pcl_goo"), [keys], Date.now())).toMatchObject({ ok: false, cause: expect.stringMatching(/^unknown API key/) });
  });

  it("refuses disabled keys and keys at or past expires_at, with the reason in the cause", async () => {
    const keys = staticKeys(
      new Map([
        [await digest("pcl_off"), record({ disabled: true })],
        [await digest("pcl_old"), record({ expiresAt: 1_000 })],
      ]),
    );
    expect(await verifyApiKey(await presented("pcl_off"), [keys], 0)).toMatchObject({ ok: false, cause: expect.stringContaining("is disabled") });
    expect(await verifyApiKey(await presented("pcl_old"), [keys], 999)).toMatchObject({ ok: true });
    expect(await verifyApiKey(await presented("pcl_old"), [keys], 1_000)).toMatchObject({ ok: false, cause: expect.stringContaining("expired at 1970-01-01T00:00:01.000Z") });
  });

  it("asks the sources in order; the first holding the digest decides", async () => {
    const first = staticKeys(new Map([[await digest("pcl_k"), record({ disabled: true })]]));
    const second = staticKeys(new Map([[await digest("pcl_k"), record({ consumer: "second" })]]));
    expect((await verifyApiKey(await presented("pcl_k"), [first, second], 0)).ok).toBe(false);
    expect(await verifyApiKey(await presented("pcl_k"), [staticKeys(new Map()), second], 0)).toMatchObject({ ok: true, record: { consumer: "second" } });
  });

  it("never accepts a record stored under another digest, whatever the store returns", async () => {
    const lying = { get: () => ({ digest: new Uint8Array(32), record: record() }) };
    expect((await verifyApiKey(await presented("pcl_any"), [lying], 0)).ok).toBe(false);
  });
});
