/**
 * An API key's record: who the key belongs to and what it may do. The same
 * shape is read from `auth.keys` in wrangler.toml and from the KV namespace,
 * and validated the same way. Pure.
 */
import { fail, join, readBoolean, readString, readStringArray, readTable, rejectUnknownKeys, type Issues } from "../config/validate";
import { isConsumerId } from "./identity";
import { isScopeToken } from "./scopes";

export interface ApiKeyRecord {
  readonly consumer: string;
  readonly scopes: readonly string[];
  /** Rate-limit tier (issue #5), if any. */
  readonly tier?: string;
  /** Milliseconds since the epoch from which the key is refused. */
  readonly expiresAt?: number;
  readonly disabled: boolean;
}

const RECORD_KEYS = ["consumer", "scopes", "tier", "expires_at", "disabled"] as const;

/** A SHA-256 digest as the tables are keyed by it: 64 lower-case hex characters. */
export const DIGEST = /^[0-9a-f]{64}$/;

export function parseKeyRecord(raw: unknown, path: string, issues: Issues): ApiKeyRecord | undefined {
  const table = readTable(raw, path, issues);
  if (table === undefined) {
    if (raw === undefined) issues.push(`${path}: expected a table such as { consumer = "acme", scopes = ["orders:read"] }, got nothing`);
    return undefined;
  }
  const before = issues.length;
  rejectUnknownKeys(table, RECORD_KEYS, path, issues);
  const consumer = readId(table.consumer, join(path, "consumer"), issues);
  if (table.consumer === undefined) issues.push(`${join(path, "consumer")}: required: the consumer id the origin receives`);
  const scopes = readStringArray(table.scopes, join(path, "scopes"), issues) ?? [];
  scopes.forEach((scope, i) => {
    if (!isScopeToken(scope)) fail(issues, `${join(path, "scopes")}[${i}]`, "a scope token (printable ASCII without spaces, quotes or backslashes, RFC 6749 §3.3)", scope);
  });
  const tier = readId(table.tier, join(path, "tier"), issues);
  const expiresAt = readTimestamp(table.expires_at, join(path, "expires_at"), issues);
  const disabled = readBoolean(table.disabled, join(path, "disabled"), issues) ?? false;
  if (issues.length > before || consumer === undefined) return undefined;
  return { consumer, scopes, tier, expiresAt, disabled };
}

function readId(value: unknown, path: string, issues: Issues): string | undefined {
  const id = readString(value, path, issues);
  if (id === undefined) return undefined;
  if (!isConsumerId(id)) return fail(issues, path, "up to 256 printable ASCII characters, not starting or ending with a space", id);
  return id;
}

/** RFC 3339 §5.6 date-time with an explicit offset; a TOML offset date-time arrives as a Date. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function readTimestamp(value: unknown, path: string, issues: Issues): number | undefined {
  if (value === undefined) return undefined;
  const expected = 'an RFC 3339 date-time with an offset, e.g. "2027-01-01T00:00:00Z"';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? fail(issues, path, expected, value) : value.getTime();
  if (typeof value !== "string" || !RFC3339.test(value)) return fail(issues, path, expected, value);
  const ms = Date.parse(value.toUpperCase().replace(" ", "T"));
  return Number.isNaN(ms) ? fail(issues, path, expected, value) : ms;
}

/** Why a found key is refused, or undefined when it may be used at `now`. */
export function refusalReason(record: ApiKeyRecord, now: number): string | undefined {
  if (record.disabled) return "is disabled";
  if (record.expiresAt !== undefined && now >= record.expiresAt) return `expired at ${new Date(record.expiresAt).toISOString()}`;
  return undefined;
}
