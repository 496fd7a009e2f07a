/**
 * API keys, stored only as SHA-256 digests. A presented key is hashed, the
 * digest finds a candidate record, and the candidate's stored digest is then
 * compared with the computed one in constant time
 * (crypto.subtle.timingSafeEqual): acceptance never rests on a
 * short-circuiting comparison, whatever the store's lookup does. The lookup
 * itself only sees digests: learning digest bits by timing gets an attacker
 * nowhere without a SHA-256 preimage.
 */
import { fromHex } from "../digest";
import type { ApiKeyRecord } from "./key-record";
import { refusalReason } from "./key-record";

/** A record with the digest it is stored under. */
export interface StoredKey {
  readonly digest: Uint8Array;
  readonly record: ApiKeyRecord;
}

/** Where records live: the config's `auth.keys`, or a KV namespace. */
export interface KeyLookup {
  /** The key stored under `digest` (64 lower-case hex characters), if any. */
  get(digest: string): Promise<StoredKey | undefined> | StoredKey | undefined;
}

export type ApiKeyResult =
  | { readonly ok: true; readonly record: ApiKeyRecord; readonly keyId: string }
  /** `cause` is for the operator's log; the client gets one detail for every failure. */
  | { readonly ok: false; readonly cause: string };

/** The presented key's SHA-256 (src/auth/credentials.ts reads it once per request). */
export interface KeyDigest {
  readonly digest: Uint8Array;
  readonly digestHex: string;
}

/** Checks a presented key against each source in order; the first that holds its digest decides. */
export async function verifyApiKey(key: KeyDigest, sources: readonly KeyLookup[], now: number): Promise<ApiKeyResult> {
  const { digest, digestHex: hex } = key;
  // Enough of the digest to find the key in config or KV; never the key itself.
  const keyId = hex.slice(0, 12);
  for (const source of sources) {
    const stored = await source.get(hex);
    if (stored === undefined || !crypto.subtle.timingSafeEqual(stored.digest, digest)) continue;
    const refused = refusalReason(stored.record, now);
    if (refused !== undefined) return { ok: false, cause: `API key ${keyId}… of consumer ${JSON.stringify(stored.record.consumer)} ${refused}` };
    return { ok: true, record: stored.record, keyId };
  }
  return { ok: false, cause: `unknown API key (digest ${keyId}…)` };
}

/** The config's `auth.keys` (digest → record), with digest bytes decoded once, when the gateway is compiled. */
export function staticKeys(keys: ReadonlyMap<string, ApiKeyRecord>): KeyLookup {
  const stored = new Map<string, StoredKey>();
  for (const [digest, record] of keys) stored.set(digest, { digest: fromHex(digest), record });
  return { get: (digest) => stored.get(digest) };
}
