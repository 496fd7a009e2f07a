/**
 * Dialect recognition: which error dialect an origin body speaks, and what it
 * said, in the neutral OriginError shape. Pure; the recognizers live in
 * ./dialects/, one file per family.
 */
import { isHtmlMediaType, isJsonMediaType, looksLikeHtml, looksLikeJson } from "./media-type";
import { errorEnvelope } from "./dialects/envelopes";
import { errorList } from "./dialects/error-lists";
import { aws, oauth, scim, statusCodeBody, typedError, unknownJson } from "./dialects/flat";
import { problemDetails } from "./dialects/problem-details";
import { isRecord } from "./dialects/shape";
import { htmlPage, plainText, xmlDocument } from "./dialects/text-bodies";
import type { OriginError } from "./dialects/shape";

export type { FieldError, OriginError } from "./dialects/shape";

/**
 * Order matters where shapes overlap. Problem details come first (their
 * `type` is a URI, which sets them apart from seed 002's bare type names);
 * `{statusCode, error, message}` is tried before OAuth because its `error`
 * is a reason phrase, not a code; typed errors last, as their only mark is a
 * `type` with a `message`.
 */
export function recognizeJson(value: unknown, status: number, essence: string): OriginError {
  if (!isRecord(value)) return unknownJson(value, status);
  return (
    problemDetails(value, status, essence) ??
    scim(value) ??
    errorList(value, status) ??
    errorEnvelope(value, status) ??
    statusCodeBody(value, status) ??
    oauth(value) ??
    aws(value) ??
    typedError(value, status) ??
    unknownJson(value, status)
  );
}

/**
 * Parses JSON only where the body is JSON by label or by look; a body that
 * claims JSON and is not is read as text (`malformed-json`), so nothing the
 * origin wrote is thrown away.
 */
export function recognizeBody(bodyText: string, status: number, essence: string): OriginError {
  if (bodyText.trim() === "") return { dialect: "empty" };
  if (isJsonMediaType(essence) || looksLikeJson(bodyText)) {
    let value: unknown;
    try {
      value = JSON.parse(bodyText);
    } catch {
      return malformedJson(bodyText);
    }
    return recognizeJson(value, status, essence);
  }
  if (isHtmlMediaType(essence) || looksLikeHtml(bodyText)) return htmlPage(bodyText, status);
  if (isXml(essence, bodyText)) return xmlDocument(bodyText);
  return plainText(bodyText);
}

const MESSAGE_MEMBER = /"(?:message|detail|error_description|description|error)"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const CODE_MEMBER = /"(?:code|error_code|errorCode|scimType)"\s*:\s*"((?:[^"\\]|\\.)*)"/;

/**
 * JSON that does not parse, most often because max_body_bytes cut it short:
 * the first complete message-like and code-like string members are salvaged;
 * with none, the text itself is the detail.
 */
function malformedJson(bodyText: string): OriginError {
  const detail = jsonString(MESSAGE_MEMBER.exec(bodyText)?.[1]);
  const code = jsonString(CODE_MEMBER.exec(bodyText)?.[1]);
  const result: OriginError = { dialect: "malformed-json", detail: detail ?? bodyText };
  if (code !== undefined) result.code = code;
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

function isXml(essence: string, bodyText: string): boolean {
  return essence === "application/xml" || essence === "text/xml" || essence.endsWith("+xml") || /^\s*<\?xml\b/.test(bodyText);
}

/**
 * Codes carried in response headers, used when the body has none:
 * - seed 003's `X-message-code` (`PASSWORD_LOCKED`), the body often plain text;
 * - RFC 6750 §3: a Bearer challenge's `error` and `error_description`, which
 *   OAuth resource servers send on a 401/403 with an empty body.
 */
export function withHeaderCodes(origin: OriginError, headers: Headers): OriginError {
  if (origin.code !== undefined) return origin;
  const messageCode = headers.get("x-message-code")?.trim();
  if (messageCode !== undefined && messageCode !== "") {
    return { ...origin, dialect: `${origin.dialect}+x-message-code`, code: messageCode };
  }
  const challenge = headers.get("www-authenticate");
  const error = challenge === null ? undefined : authParam(challenge, "error");
  if (challenge === null || error === undefined || error === "") return origin;
  const result: OriginError = { ...origin, dialect: `${origin.dialect}+www-authenticate`, code: error };
  const description = authParam(challenge, "error_description");
  if (result.detail === undefined && description !== undefined && description !== "") result.detail = description;
  return result;
}

/** An auth-param's value, token or quoted-string (RFC 9110 §11.2, §5.6.4). */
function authParam(challenge: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s,])${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s,"]+))`, "i").exec(challenge);
  if (m === null) return undefined;
  return m[2] ?? (m[1] ?? "").replace(/\\(.)/g, "$1");
}
