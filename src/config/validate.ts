/**
 * A small validation kit for the `PORTCULLIS` var. Every reader records what is
 * wrong under its key path and carries on, so one run names every mistake
 * (`routes[2].max_body_bytes: expected a positive integer, got "1MB"`).
 * A reader given `undefined` records nothing and returns `undefined`: the
 * caller applies the default.
 */

import { isToken } from "../http-syntax";

export type Issues = string[];

/** Renders a value the way the user wrote it, bounded, for messages. */
function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "a table";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function fail(issues: Issues, path: string, expected: string, got: unknown): undefined {
  issues.push(`${path}: expected ${expected}, got ${show(got)}`);
  return undefined;
}

export function readTable(value: unknown, path: string, issues: Issues): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return fail(issues, path, "a table", value);
  return value as Record<string, unknown>;
}

export function readArray(value: unknown, path: string, issues: Issues): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return fail(issues, path, "an array", value);
  return value;
}

export function readPositiveInt(value: unknown, path: string, issues: Issues, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0 || value > max) {
    return fail(issues, path, max === Number.MAX_SAFE_INTEGER ? "a positive integer" : `a positive integer up to ${max}`, value);
  }
  return value;
}

export function readNonNegativeInt(value: unknown, path: string, issues: Issues): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) return fail(issues, path, "a non-negative integer", value);
  return value;
}

export function readBoolean(value: unknown, path: string, issues: Issues): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") return fail(issues, path, "true or false", value);
  return value;
}

export function readString(value: unknown, path: string, issues: Issues, options: { nonEmpty?: boolean } = {}): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") return fail(issues, path, "a string", value);
  if (options.nonEmpty !== false && value.trim() === "") return fail(issues, path, "a non-empty string", value);
  return value;
}

export function readStringArray(value: unknown, path: string, issues: Issues): string[] | undefined {
  const items = readArray(value, path, issues);
  if (items === undefined) return undefined;
  const out: string[] = [];
  items.forEach((item, i) => {
    const s = readString(item, `${path}[${i}]`, issues);
    if (s !== undefined) out.push(s);
  });
  return out;
}

export function readEnum<T extends string>(value: unknown, path: string, issues: Issues, options: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !(options as readonly string[]).includes(value)) {
    return fail(issues, path, `one of ${options.map((o) => JSON.stringify(o)).join(", ")}`, value);
  }
  return value as T;
}

/** An absolute http(s) URL. */
export function readHttpUrl(value: unknown, path: string, issues: Issues): URL | undefined {
  const s = readString(value, path, issues);
  if (s === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return fail(issues, path, "an absolute http(s) URL", s);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return fail(issues, path, "an absolute http(s) URL", s);
  return url;
}

/** A header name (an RFC 9110 §5.6.2 token), lower-cased. */
export function readFieldName(value: unknown, path: string, issues: Issues, example = "X-API-Key"): string | undefined {
  const name = readString(value, path, issues);
  if (name === undefined) return undefined;
  if (!isToken(name)) return fail(issues, path, `a header name such as "${example}"`, name);
  return name.toLowerCase();
}

/** Names keys nobody reads: a typo must not silently fall back to a default. */
export function rejectUnknownKeys(table: Record<string, unknown>, known: readonly string[], path: string, issues: Issues): void {
  for (const key of Object.keys(table)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => editDistance(k, key) <= 2);
    const where = path === "" ? key : `${path}.${key}`;
    issues.push(`${where}: unknown key${near ? ` (did you mean "${near}"?)` : ""}`);
  }
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j] ?? 0;
      row[j] = Math.min(saved + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = saved;
    }
  }
  return row[b.length] ?? 0;
}

export function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}
