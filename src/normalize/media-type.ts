/**
 * Content-Type reading for origin error bodies (RFC 9110 §8.3.1). Only what
 * normalization needs: the media type's essence (parsed by the gateway's one
 * media-type parser, src/media-type.ts) and its `charset` parameter.
 */
import { parseMediaType } from "../media-type";

export interface MediaType {
  /** `type/subtype`, lower-cased; "" when the header is absent or garbage. */
  essence: string;
  /** The `charset` parameter, lower-cased and unquoted, when present. */
  charset?: string;
}

export function readContentType(contentType: string | null): MediaType {
  if (contentType === null) return { essence: "" };
  const type = parseMediaType(contentType);
  const result: MediaType = { essence: type === undefined ? "" : `${type.type}/${type.subtype}` };
  const params = contentType.split(";").slice(1);
  for (const param of params) {
    const eq = param.indexOf("=");
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "charset") continue;
    const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1").trim().toLowerCase();
    if (value !== "") result.charset = value;
    break;
  }
  return result;
}

/** application/json, text/json and every structured `+json` type (RFC 6839 §3.1). */
export function isJsonMediaType(essence: string): boolean {
  return essence === "application/json" || essence === "text/json" || essence.endsWith("+json");
}

export function isHtmlMediaType(essence: string): boolean {
  return essence === "text/html" || essence === "application/xhtml+xml";
}

/** Bodies are sniffed too: origins often label JSON or HTML errors text/plain, or not at all. */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<title>|<h1[\s>]|<!--)/i.test(text.slice(0, 512));
}
