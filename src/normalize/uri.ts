/**
 * RFC 3986 URI-reference checks. RFC 9457 §3.1.1 and §3.1.5 make `type` and
 * `instance` URI references; a member that is not one makes the whole problem
 * invalid, so origin values are checked before they are passed on.
 */

// RFC 3986 §2: unreserved / pct-encoded / sub-delims.
const CHAR = String.raw`[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2}`;
const PCHAR = String.raw`(?:${CHAR}|[:@])`;
const SEGMENT = `${PCHAR}*`;
const SEGMENT_NZ = `${PCHAR}+`;
// §4.2: the first segment of a relative path has no colon (it would read as a scheme).
const SEGMENT_NZ_NC = String.raw`(?:${CHAR}|@)+`;
// §3.2: IP-literal hosts in brackets are refused on purpose: an origin type or
// instance that names an address literal is internal by nature.
const AUTHORITY = String.raw`(?:(?:${CHAR}|:)*@)?(?:${CHAR})*(?::\d*)?`;
const PATH_ABEMPTY = `(?:/${SEGMENT})*`;
const PATH_ABSOLUTE = `/(?:${SEGMENT_NZ}(?:/${SEGMENT})*)?`;
const TAIL = String.raw`(?:\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?`;
const SCHEME = "[A-Za-z][A-Za-z0-9+.-]*";

const ABSOLUTE_URI = new RegExp(
  `^${SCHEME}:(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${SEGMENT_NZ}(?:/${SEGMENT})*)?${TAIL}$`,
);
const RELATIVE_REF = new RegExp(
  `^(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${SEGMENT_NZ_NC}(?:/${SEGMENT})*)?${TAIL}$`,
);

/** Long enough for any real type or instance; longer values are noise or abuse. */
const MAX_URI_LENGTH = 2048;

/** RFC 3986 §4.3 absolute URI (a scheme, no requirement on the rest). */
export function isAbsoluteUri(value: string): boolean {
  return value.length <= MAX_URI_LENGTH && ABSOLUTE_URI.test(value);
}

/** RFC 3986 §4.1 URI-reference: an absolute URI or a relative reference. */
export function isUriReference(value: string): boolean {
  return value.length <= MAX_URI_LENGTH && (ABSOLUTE_URI.test(value) || RELATIVE_REF.test(value));
}

/** A scheme or a slash: what tells a problem type URI from a bare type name like `InvalidPayload`. */
export function looksLikeUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) || value.startsWith("/") || value.startsWith("#");
}

/**
 * A request path as a problem's `instance`. The runtime's URL parser leaves
 * some characters RFC 3986 does not allow in a path unencoded (`|`, `^`, `[`,
 * `]`, …); those are percent-encoded here so the problem stays valid (RFC 3986
 * §2.1). Colons are encoded too: "a:b" would read as a scheme.
 */
export function asUriReference(value: string): string {
  if (isUriReference(value)) return value;
  const wellFormed = value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
  // Escapes already there stay as they are; everything else outside unreserved and "/" is encoded.
  return wellFormed.replace(/%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~/]/gu, (c) => (c.length === 3 && c.startsWith("%") ? c : encodeURIComponent(c)));
}
