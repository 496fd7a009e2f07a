/**
 * Where the `PORTCULLIS` configuration comes from. Cloudflare caps each
 * environment variable at 5 KB, and a production configuration (dozens of
 * routes and keys, an error-code map) outgrows one. So the configuration may
 * be split across several vars, merged into one table before it is validated:
 *
 * - `PORTCULLIS` first, then every var named `PORTCULLIS_<PART>` (capital
 *   letters, digits, `_`) in name order;
 * - each is a table (or a JSON object string, e.g. from a secret);
 * - tables merge key by key, at any depth; `routes` lists are concatenated in
 *   that order; any other value set by two vars is a mistake naming both,
 *   never a silent override.
 *
 * Pure: the Worker and `npm run check` run the same code.
 */
import type { Issues } from "./validate";

const CONFIG_VAR = "PORTCULLIS";
const PART = /^PORTCULLIS_[A-Z0-9_]+$/;
/** Cloudflare's limit per environment variable ("5 KB"), taken at its stricter reading. */
export const MAX_VAR_BYTES = 5_000;

export interface ConfigSource {
  readonly name: string;
  readonly value: unknown;
}

/** The configuration vars of `env`, in merge order. */
export function configSources(env: Readonly<Record<string, unknown>>): ConfigSource[] {
  const sources: ConfigSource[] = [];
  if (env[CONFIG_VAR] !== undefined) sources.push({ name: CONFIG_VAR, value: env[CONFIG_VAR] });
  const parts = Object.keys(env).filter((name) => PART.test(name)).sort();
  for (const name of parts) sources.push({ name, value: env[name] });
  return sources;
}

/** One table from all sources; every clash is an issue naming both vars. */
export function mergeSources(sources: readonly ConfigSource[], issues: Issues): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const owners = new Map<string, string>();
  for (const source of sources) {
    const table = asTable(source, issues);
    if (table !== undefined) mergeInto(merged, table, source.name, "", owners, issues);
  }
  return merged;
}

function asTable(source: ConfigSource, issues: Issues): Record<string, unknown> | undefined {
  let value = source.value;
  // A JSON string is accepted too, so a part can live in a secret or the dashboard.
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      issues.push(`${source.name}: expected a table (or a JSON object string), got a string that is not JSON`);
      return undefined;
    }
  }
  if (!isTable(value)) {
    issues.push(`${source.name}: expected a table (or a JSON object string), got ${Array.isArray(value) ? "an array" : typeof value}`);
    return undefined;
  }
  return value;
}

function mergeInto(target: Record<string, unknown>, table: Record<string, unknown>, from: string, path: string, owners: Map<string, string>, issues: Issues): void {
  for (const [key, value] of Object.entries(table)) {
    const where = path === "" ? key : `${path}.${key}`;
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    if (existing === undefined && isTable(value)) {
      const table: Record<string, unknown> = {};
      define(target, key, table);
      mergeInto(table, value, from, where, owners, issues);
    } else if (existing === undefined) {
      define(target, key, value);
      owners.set(where, from);
    } else if (isTable(existing) && isTable(value)) {
      mergeInto(existing, value, from, where, owners, issues);
    } else if (where === "routes" && Array.isArray(existing) && Array.isArray(value)) {
      define(target, key, [...existing, ...value]);
    } else {
      issues.push(`${from}.${where}: also set by ${owners.get(where) ?? "another var"}; a key may be set in one PORTCULLIS var only (tables merge, routes lists concatenate)`);
    }
  }
}

// defineProperty: a key named "__proto__" is a key like any other.
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Bytes a var takes as wrangler uploads it: a string as it is, anything else as JSON. */
export function uploadedBytes(value: unknown): number {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? "";
  return new TextEncoder().encode(text).byteLength;
}

/** The vars Cloudflare would refuse for their size, each named with its size and what to do. */
export function varSizeIssues(vars: Readonly<Record<string, unknown>>): string[] {
  const issues: string[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const bytes = uploadedBytes(value);
    if (bytes <= MAX_VAR_BYTES) continue;
    const advice = name === CONFIG_VAR || PART.test(name)
      ? `move part of it into another var, e.g. [vars.PORTCULLIS_ROUTES] with its own routes = [...], or [vars.PORTCULLIS_KEYS.auth.keys]; API keys can also live in KV (auth.kv_binding)`
      : "keep large values in a secret or KV";
    issues.push(`${name}: ${bytes.toLocaleString("en-US")} bytes as uploaded; Cloudflare accepts at most 5 KB per environment variable (checked as ${MAX_VAR_BYTES.toLocaleString("en-US")} bytes): ${advice}`);
  }
  return issues;
}
