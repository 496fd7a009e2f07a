/**
 * Configuration of the request limits: the top-level `max_url_length` and
 * `max_header_bytes`, and the route keys `methods`, `max_body_bytes` and
 * `accept` (docs/configuration.md). Each route's limits are
 * compiled here, once: the method set, the `Allow` value, the media ranges
 * and the `Accept` values a 415 sends.
 */
import { isToken } from "../http-syntax";
import { isValidMediaRange, parseMediaType, type MediaRange } from "../media-type";
import { join, readPositiveInt, readStringArray, type Issues } from "../config/validate";

const ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

const LIMITS_DEFAULTS = {
  methods: ALL_METHODS,
  max_body_bytes: 10 * 1024 * 1024,
  max_url_length: 8192,
  max_header_bytes: 32 * 1024,
} as const;

/** Keys a route (and [defaults]) may set for its limits. */
export const LIMITS_ROUTE_KEYS = ["methods", "max_body_bytes", "accept"] as const;
export const LIMITS_TOP_KEYS = ["max_url_length", "max_header_bytes"] as const;

export interface RequestSizeLimits {
  readonly maxUrlLength: number;
  readonly maxHeaderBytes: number;
}

/** A route's limits, compiled. */
export interface RouteLimits {
  /** Upper-case method names; HEAD is implied by GET (RFC 9110 §9.3.2). */
  readonly methods: readonly string[];
  readonly methodSet: ReadonlySet<string>;
  /** The `Allow` value of a 405 (RFC 9110 §10.2.1). */
  readonly allow: string;
  readonly maxBodyBytes: number;
  /** Accepted request media ranges as written (lower-case); empty means any. */
  readonly accept: readonly string[];
  readonly acceptRanges: readonly MediaRange[];
  /** The `Accept` value a 415 sends. */
  readonly acceptValue: string;
}

export function parseRequestSize(top: Record<string, unknown>, path: string, issues: Issues): RequestSizeLimits {
  return {
    maxUrlLength: readPositiveInt(top.max_url_length, join(path, "max_url_length"), issues) ?? LIMITS_DEFAULTS.max_url_length,
    maxHeaderBytes: readPositiveInt(top.max_header_bytes, join(path, "max_header_bytes"), issues) ?? LIMITS_DEFAULTS.max_header_bytes,
  };
}

export function parseRouteLimits(table: Record<string, unknown>, path: string, issues: Issues, inherited: RouteLimits | undefined): RouteLimits {
  const methods = readMethods(table.methods, join(path, "methods"), issues) ?? inherited?.methods ?? LIMITS_DEFAULTS.methods;
  const accept = readAccept(table.accept, join(path, "accept"), issues) ?? inherited?.accept ?? [];
  const maxBodyBytes = readPositiveInt(table.max_body_bytes, join(path, "max_body_bytes"), issues) ?? inherited?.maxBodyBytes ?? LIMITS_DEFAULTS.max_body_bytes;
  return {
    methods,
    methodSet: new Set(methods),
    allow: methods.join(", "),
    maxBodyBytes,
    accept,
    acceptRanges: accept.flatMap((r) => parseMediaType(r) ?? []),
    acceptValue: accept.join(", "),
  };
}

function readMethods(value: unknown, path: string, issues: Issues): string[] | undefined {
  const raw = readStringArray(value, path, issues);
  if (raw === undefined) return undefined;
  raw.forEach((m, i) => {
    if (!isToken(m)) issues.push(`${path}[${i}]: expected an HTTP method such as "GET", got ${JSON.stringify(m)}`);
  });
  if (raw.length === 0) issues.push(`${path}: expected at least one method`);
  const upper = raw.map((m) => m.toUpperCase());
  // RFC 9110 §9.3.2: a server that answers GET should answer HEAD the same way.
  if (upper.includes("GET") && !upper.includes("HEAD")) upper.push("HEAD");
  return [...new Set(upper)];
}

function readAccept(value: unknown, path: string, issues: Issues): string[] | undefined {
  const raw = readStringArray(value, path, issues);
  if (raw === undefined) return undefined;
  raw.forEach((range, i) => {
    if (!isValidMediaRange(range)) {
      issues.push(`${path}[${i}]: expected a media range such as "application/json", "application/*+json" or "*/*", got ${JSON.stringify(range)}`);
    }
  });
  return raw.map((r) => r.toLowerCase());
}
