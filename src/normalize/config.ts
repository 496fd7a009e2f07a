/**
 * Configuration of origin error normalization: the global `PORTCULLIS.errors`
 * table and a route's `error_codes` table. docs/origin-errors.md
 * documents every key.
 */
import { fail, join, readArray, readBoolean, readPositiveInt, readString, readTable, rejectUnknownKeys, type Issues } from "../config/validate";
import { isToken } from "../http-syntax";
import { DEFAULT_CODE_HEADERS } from "./header-codes";
import type { CodeType } from "./normalize-origin-error";
import { isAbsoluteUri } from "./uri";

export interface ErrorsConfig {
  /** Decoded bytes of an origin error body read for normalization; the rest is cancelled. */
  readonly maxBodyBytes: number;
  /** Characters of a public `detail` (and of each field error and extension string). */
  readonly maxDetailLength: number;
  /** Pass the text of origin 5xx errors to clients (routes may override). */
  readonly exposeServerErrors: boolean;
  /** Origin error code → problem type. */
  readonly codes: Readonly<Record<string, CodeType>>;
  /** Response headers that carry the origin's error code when its body has none, in order. */
  readonly codeHeaders: readonly string[];
}

export const DEFAULT_ERRORS_CONFIG: ErrorsConfig = {
  maxBodyBytes: 65_536,
  maxDetailLength: 500,
  exposeServerErrors: false,
  codes: {},
  codeHeaders: DEFAULT_CODE_HEADERS,
};

/** Keys a route (and [defaults]) may set for error normalization. */
export const ERRORS_ROUTE_KEYS: readonly string[] = ["expose_server_errors", "error_codes"];

const ERRORS_KEYS = ["max_body_bytes", "max_detail_length", "expose_server_errors", "codes", "code_headers"] as const;
const CODE_KEYS = ["type", "title"] as const;
// The error body is held in memory while it is normalized; past 1 MiB it is a download, not an error.
const MAX_BODY_BYTES = 1_048_576;
const MAX_DETAIL_LENGTH = 4096;
// Codes longer than this are not passed on (normalize-origin-error.ts), so they could never match.
const MAX_CODE_LENGTH = 128;

export function parseErrorsConfig(raw: unknown, path: string, issues: Issues): ErrorsConfig {
  const table = readTable(raw, path, issues) ?? {};
  rejectUnknownKeys(table, ERRORS_KEYS, path, issues);
  const defaults = DEFAULT_ERRORS_CONFIG;
  return {
    maxBodyBytes: readPositiveInt(table.max_body_bytes, join(path, "max_body_bytes"), issues, MAX_BODY_BYTES) ?? defaults.maxBodyBytes,
    maxDetailLength:
      readPositiveInt(table.max_detail_length, join(path, "max_detail_length"), issues, MAX_DETAIL_LENGTH) ?? defaults.maxDetailLength,
    exposeServerErrors: readBoolean(table.expose_server_errors, join(path, "expose_server_errors"), issues) ?? defaults.exposeServerErrors,
    codes: parseErrorCodes(table.codes, join(path, "codes"), issues) ?? defaults.codes,
    codeHeaders: parseCodeHeaders(table.code_headers, join(path, "code_headers"), issues) ?? defaults.codeHeaders,
  };
}

// RFC 9110 §5.1: a field name is a token.
const MAX_CODE_HEADERS = 16;

/** `code_headers = ["X-message-code", "x-ms-error-code"]`: header names, matched case-insensitively; [] reads none. */
function parseCodeHeaders(raw: unknown, path: string, issues: Issues): readonly string[] | undefined {
  const items = readArray(raw, path, issues);
  if (items === undefined) return undefined;
  if (items.length > MAX_CODE_HEADERS) issues.push(`${path}: at most ${MAX_CODE_HEADERS} headers, got ${items.length}`);
  const names: string[] = [];
  items.forEach((item, i) => {
    const name = readString(item, `${path}[${i}]`, issues);
    if (name === undefined) return;
    if (isToken(name)) names.push(name);
    else fail(issues, `${path}[${i}]`, "a header field name (RFC 9110 §5.1)", name);
  });
  return names.slice(0, MAX_CODE_HEADERS);
}

/**
 * A code → type table: `EmailAlreadyExists = { type = "https://…", title = "…" }`.
 * Undefined when absent, so a route's table can fall back to the global one.
 */
export function parseErrorCodes(raw: unknown, path: string, issues: Issues): Record<string, CodeType> | undefined {
  const table = readTable(raw, path, issues);
  if (table === undefined) return undefined;
  const codes: Record<string, CodeType> = {};
  for (const [code, value] of Object.entries(table)) {
    const where = codePath(path, code);
    if (code.trim() !== code || code === "" || /[\u0000-\u001f\u007f]/.test(code)) {
      issues.push(`${where}: a code is matched exactly as the origin sends it; remove the surrounding spaces or control characters`);
      continue;
    }
    if (code.length > MAX_CODE_LENGTH) {
      issues.push(`${where}: codes longer than ${MAX_CODE_LENGTH} characters are never passed on, so this entry would never match`);
      continue;
    }
    const entry = parseCodeType(value, where, issues);
    // defineProperty: a code named "__proto__" is an entry like any other.
    if (entry !== undefined) Object.defineProperty(codes, code, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return codes;
}

function parseCodeType(raw: unknown, path: string, issues: Issues): CodeType | undefined {
  const table = readTable(raw, path, issues);
  if (table === undefined) return undefined;
  rejectUnknownKeys(table, CODE_KEYS, path, issues);
  const title = readString(table.title, join(path, "title"), issues);
  const type = readString(table.type, join(path, "type"), issues);
  // RFC 9457 §3.1.1: a relative type would resolve against each request's URL; "about:blank" means "no type".
  if (type === undefined || !isAbsoluteUri(type) || type === "about:blank") {
    if (type !== undefined || table.type === undefined) fail(issues, join(path, "type"), "an absolute URI other than about:blank (e.g. \"https://errors.example.com/email-taken\")", type);
    return undefined;
  }
  return title === undefined ? { type } : { type, title };
}

/** `errors.codes.EmailAlreadyExists`, or `errors.codes."Mismatched group id"` where TOML needs quotes. */
function codePath(path: string, code: string): string {
  return join(path, /^[A-Za-z0-9_-]+$/.test(code) ? code : JSON.stringify(code));
}

/** What a route (or `[defaults]`) decides about its origin's errors. */
export interface RouteErrorSettings {
  readonly exposeServerErrors: boolean;
  /** The global `errors.codes`, overridden entry by entry by `error_codes` ([defaults], then the route). */
  readonly codeTypes: Readonly<Record<string, CodeType>>;
}

export function parseRouteErrors(
  table: Record<string, unknown>,
  path: string,
  issues: Issues,
  inherited: RouteErrorSettings | undefined,
  global: ErrorsConfig,
): RouteErrorSettings {
  const base = inherited ?? { exposeServerErrors: global.exposeServerErrors, codeTypes: global.codes };
  const own = parseErrorCodes(table.error_codes, join(path, "error_codes"), issues);
  const codeTypes: Record<string, CodeType> = {};
  for (const source of [base.codeTypes, own ?? {}]) {
    for (const [code, type] of Object.entries(source)) {
      Object.defineProperty(codeTypes, code, { value: type, enumerable: true, writable: true, configurable: true });
    }
  }
  return {
    exposeServerErrors: readBoolean(table.expose_server_errors, join(path, "expose_server_errors"), issues) ?? base.exposeServerErrors,
    codeTypes,
  };
}

/** A route's error handling, compiled: its settings with the global bounds. */
export interface ErrorsPlan extends RouteErrorSettings {
  readonly maxBodyBytes: number;
  readonly maxDetailLength: number;
  readonly codeHeaders: readonly string[];
}

export function compileErrors(route: RouteErrorSettings, global: ErrorsConfig): ErrorsPlan {
  return { ...route, maxBodyBytes: global.maxBodyBytes, maxDetailLength: global.maxDetailLength, codeHeaders: global.codeHeaders };
}
