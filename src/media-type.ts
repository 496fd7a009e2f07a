/**
 * Media-type matching for the 415 check (RFC 9110 §8.3.1, §12.5.1).
 * Type and subtype are case-insensitive and parameters do not take part:
 * `Application/JSON; charset=utf-8` is `application/json`.
 */
import { isToken } from "./http-syntax";

export interface MediaRange {
  readonly type: string;
  readonly subtype: string;
}

/** Parses `type/subtype[; params]`; `undefined` when it is not a media type. */
export function parseMediaType(value: string): MediaRange | undefined {
  const essence = (value.split(";", 1)[0] ?? "").trim().toLowerCase();
  const slash = essence.indexOf("/");
  if (slash <= 0) return undefined;
  const type = essence.slice(0, slash);
  const subtype = essence.slice(slash + 1);
  if (!isToken(type) || !isToken(subtype)) return undefined;
  return { type, subtype };
}

/**
 * Does `range` accept `actual`? Ranges: `*\/*`, `type/*`, `type/subtype`, and
 * the structured-suffix form `type/*+suffix` (RFC 6838 §4.2.8), so
 * `application/*+json` accepts `application/scim+json`.
 */
function mediaRangeAccepts(range: MediaRange, actual: MediaRange): boolean {
  if (range.type === "*") return true;
  if (range.type !== actual.type) return false;
  if (range.subtype === "*" || range.subtype === actual.subtype) return true;
  if (range.subtype.startsWith("*+")) return actual.subtype.endsWith(range.subtype.slice(1));
  return false;
}

/** Is a range string valid config? `*\/*`, `type/*`, `type/*+suffix`, `type/subtype`. */
export function isValidMediaRange(value: string): boolean {
  if (value.includes(";")) return false;
  const range = parseMediaType(value);
  if (range === undefined) return false;
  return range.type !== "*" || range.subtype === "*";
}

export function acceptsMediaType(ranges: readonly MediaRange[], contentType: string | null): boolean {
  if (contentType === null) return false;
  const actual = parseMediaType(contentType);
  if (actual === undefined) return false;
  return ranges.some((range) => mediaRangeAccepts(range, actual));
}
