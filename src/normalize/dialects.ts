/**
 * Recognition: what an origin's error body is (JSON, HTML, XML, text) and
 * what it said, in the neutral OriginError shape. Pure. JSON is read by the
 * general reader (./reader/), with the named dialects as precedence rules on
 * top (./dialects/rules.ts); the other bodies by ./dialects/text-bodies.ts.
 */
import { parseJson } from "./bounded-json";
import { isHtmlMediaType, isJsonMediaType, looksLikeHtml } from "./media-type";
import { precedenceOf } from "./dialects/rules";
import { htmlPage, plainText, xmlDocument } from "./dialects/text-bodies";
import type { OriginError } from "./dialects/shape";
import { readBody } from "./reader/chain";
import { resolve } from "./reader/resolve";

export type { FieldError, OriginError } from "./dialects/shape";

/** A JSON value, read by the vocabulary under the rule its shape answers to. */
export function recognizeJson(value: unknown, status: number, essence: string): OriginError {
  if (typeof value === "string") return value.trim() === "" ? { dialect: "json" } : { dialect: "json", detail: value };
  const rule = precedenceOf(value, essence);
  const reading = readBody(value, status, rule);
  if (reading.bare === true) rule.dialect = "field-map";
  return resolve(value, status, reading, rule);
}

/**
 * The body is sniffed before its label is believed: origins label JSON
 * `text/plain` and HTML `application/json`, and proxies put XML faults under
 * whatever label the API uses. A body that looks like JSON and is not is read
 * as text (`malformed-json`), so nothing the origin wrote is thrown away.
 */
export function recognizeBody(bodyText: string, status: number, essence: string): OriginError {
  const start = bodyText.trimStart();
  if (start === "") return { dialect: "empty" };
  const first = start.charCodeAt(0);
  const jsonLabel = isJsonMediaType(essence);
  // `{` or `[` always; a string or number only when the label says JSON.
  if (first === 123 || first === 91 || (jsonLabel && (first === 34 || first === 45 || (first >= 48 && first <= 57)))) {
    const parsed = parseJson(bodyText);
    if (parsed === undefined) return malformedJson(bodyText);
    const origin = recognizeJson(parsed.value, status, essence);
    if (parsed.partial) origin.dialect += "+partial";
    return origin;
  }
  if (looksLikeHtml(start)) return htmlPage(bodyText, status);
  if (start.startsWith("<?xml") || (isXmlMediaType(essence) && !isHtmlMediaType(essence))) return xmlDocument(bodyText);
  if (isHtmlMediaType(essence)) return htmlPage(bodyText, status);
  // A tag-like body under a label that says otherwise: an XML fault (`<Error><Code>…`), as proxies send them.
  if (/^<[A-Za-z][\w:.-]*[\s/>]/.test(start)) return xmlDocument(bodyText);
  return plainText(bodyText);
}

// The vocabulary's main message and code names, as JSON members whose string value is complete.
const MESSAGE_MEMBER =
  /"(?:message|detail|error_description|errorMessage|error_message|description|msg|title|reason|error|Message)"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const CODE_MEMBER = /"(?:code|error_code|errorCode|scimType|Code|reason)"\s*:\s*"((?:[^"\\]|\\.)*)"/;

/**
 * JSON that does not parse, most often because max_body_bytes cut it short:
 * the first complete message-like and code-like string members are salvaged;
 * with none, the text itself is the detail.
 */
function malformedJson(bodyText: string): OriginError {
  const head = bodyText.length > 65_536 ? bodyText.slice(0, 65_536) : bodyText;
  const detail = jsonString(MESSAGE_MEMBER.exec(head)?.[1]);
  const code = jsonString(CODE_MEMBER.exec(head)?.[1]);
  const result: OriginError = { dialect: "malformed-json", detail: detail ?? bodyText };
  if (code !== undefined && code !== detail) result.code = code;
  return result;
}

function jsonString(escaped: string | undefined): string | undefined {
  if (escaped === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(`"${escaped}"`);
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  } catch {
    return undefined;
  }
}

function isXmlMediaType(essence: string): boolean {
  return essence === "application/xml" || essence === "text/xml" || essence.endsWith("+xml");
}
