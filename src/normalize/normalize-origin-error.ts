/**
 * Origin error normalization: an origin's error response, in whatever dialect,
 * becomes one RFC 9457 problem with the origin's status. Pure: the caller reads
 * the body (read-error-body.ts) and sends the result (problemResponse).
 *
 * What the client gets: the origin's message and code and field errors, in
 * one consistent shape; what it never gets: internals (sanitize.ts), or any
 * of a 5xx's text unless the operator exposes server errors. What the
 * operator's log gets: the dialect, the origin's own message and code.
 */
import type { ProblemDocument } from "../problems";
import { recognizeBody } from "./dialects";
import type { FieldError, OriginError } from "./dialects";
import { eachDetail } from "./dialects/shape";
import { publicExtensions } from "./extensions";
import { withHeaderCodes } from "./header-codes";
import { readContentType } from "./media-type";
import { boundLength, looksLeaky, publicText, stripControls } from "./sanitize";
import { genericDetail, reasonPhrase } from "./status-text";
import { asUriReference, isUriReference } from "./uri";

export interface CodeType {
  /** Absolute URI of the problem type the code stands for. */
  type: string;
  title?: string;
}

export interface NormalizeOptions {
  /** Pass a 5xx's text, code, field errors and extensions to the client. */
  exposeServerErrors: boolean;
  maxDetailLength: number;
  /** Origin code → problem type (`[vars.PORTCULLIS.errors.codes]`, a route's `error_codes`). */
  codeTypes: Record<string, CodeType>;
  /** Response headers that carry a code, in order (`errors.code_headers`); DEFAULT_CODE_HEADERS when absent. */
  codeHeaders?: readonly string[];
}

export interface OriginErrorResponse {
  status: number;
  headers: Headers;
  /** The decoded body, at most max_body_bytes of it (readErrorBody). */
  text: string;
  truncated: boolean;
}

export interface NormalizeContext {
  requestId: string;
  /** The request path, the fallback `instance` (RFC 9457 §3.1.5). */
  instance: string;
}

export interface NormalizeLog {
  dialect: string;
  /** What the origin said, one line, bounded, not leak-filtered: for the operator only. */
  originDetail?: string;
  code?: string;
  /** The body was longer than max_body_bytes; only its start was read. */
  truncated?: true;
}

export interface NormalizedError {
  problem: ProblemDocument;
  log: NormalizeLog;
}

export const DEFAULT_MAX_DETAIL_LENGTH = 500;
const MAX_TITLE_LENGTH = 200;
const MAX_CODE_LENGTH = 128;
const MAX_LOG_DETAIL_LENGTH = 2048;
// Enough for any form; more makes a problem a download, and each costs a leak check.
const MAX_FIELD_ERRORS = 50;

export function normalizeOriginError(
  input: OriginErrorResponse,
  options: NormalizeOptions,
  context: NormalizeContext,
): NormalizedError {
  const status = Number.isInteger(input.status) && input.status >= 100 && input.status <= 599 ? input.status : 502;
  let origin: OriginError;
  try {
    const essence = readContentType(input.headers.get("content-type")).essence;
    origin = withHeaderCodes(recognizeBody(input.text, status, essence), input.headers, options.codeHeaders);
  } catch {
    // Unreachable by design; the promise is "never throws", so a bug here still yields a problem.
    origin = { dialect: "unreadable" };
  }
  const log = toLog(origin);
  if (input.truncated) log.truncated = true;
  return { problem: toProblem(origin, status, options, context), log };
}

function toProblem(origin: OriginError, status: number, options: NormalizeOptions, context: NormalizeContext): ProblemDocument {
  const maxLength = Number.isInteger(options.maxDetailLength) && options.maxDetailLength > 0
    ? options.maxDetailLength
    : DEFAULT_MAX_DETAIL_LENGTH;
  // A 5xx says something went wrong inside the origin; unless the operator
  // opts in, nothing the origin wrote about it reaches the client.
  const hidden = status >= 500 && !options.exposeServerErrors;
  const code = origin.code === undefined ? undefined : publicCode(origin.code);
  const mapped = code === undefined ? undefined : mappedType(options.codeTypes, code);
  const originType = hidden || origin.type === undefined ? undefined : publicUri(origin.type);
  const originTitle = hidden || origin.title === undefined ? undefined : publicText(origin.title, MAX_TITLE_LENGTH);

  // RFC 9457 §3.1.1: the origin's own type wins; else the operator's type for
  // the code; else "about:blank", whose title is the reason phrase (§4.2.1)
  // unless the origin titled the problem itself.
  let type = "about:blank";
  let title = originTitle ?? reasonPhrase(status);
  if (originType !== undefined && originType !== "about:blank") {
    type = originType;
  } else if (mapped !== undefined) {
    type = mapped.type;
    title = mapped.title ?? title;
  }

  const extensions = hidden || origin.extensions === undefined ? undefined : { ...origin.extensions };
  const detail = hidden ? undefined : publicDetail(origin, maxLength, extensions);
  const instance = hidden || origin.instance === undefined ? undefined : publicUri(origin.instance);
  const problem: ProblemDocument = {
    type,
    title,
    status,
    detail: detail ?? genericDetail(status),
    instance: instance ?? asUriReference(context.instance),
    request_id: context.requestId,
  };
  if (hidden) return problem;
  if (code !== undefined) problem.code = code;
  const errors = publicFieldErrors(origin.errors ?? [], maxLength);
  if (errors.length > 0) problem.errors = errors;
  // Extensions go last and never replace a member set above (publicExtensions skips those names).
  return Object.assign(problem, publicExtensions(extensions, maxLength));
}

/**
 * The first candidate that survives the leak filter (sanitize.ts) is the
 * detail. A candidate that was kept as an extension while another was
 * preferred is not sent twice.
 */
function publicDetail(origin: OriginError, maxLength: number, extensions: Record<string, unknown> | undefined): string | undefined {
  let detail: string | undefined;
  eachDetail(origin, (candidate) => {
    // Four times the length: room for messages the leak filter leaves out.
    detail = "parts" in candidate ? publicJoin(candidate.parts(maxLength * 4), maxLength) : publicText(candidate.text, maxLength);
    if (detail === undefined) return false;
    if ("member" in candidate && candidate.member !== undefined && extensions?.[candidate.member] === candidate.text) {
      delete extensions[candidate.member];
    }
    return true;
  });
  return detail;
}

/**
 * Several messages as one detail, "; " between them (each still has its own
 * `errors` entry). Only as many messages are read as fit. One pass of the leak
 * filter over the joined text finds a leak in any of them as surely as a pass
 * over each (no pattern needs "; " to match); only when it finds one are they
 * checked one by one, the leaky ones left out, and the joined text checked
 * again, so a leak cannot be assembled across two of them.
 */
function publicJoin(parts: readonly string[], maxLength: number): string | undefined {
  let raw = "";
  for (const part of parts) {
    const text = stripControls(part);
    if (text === "") continue;
    raw = raw === "" ? text : `${raw}; ${text}`;
    if (raw.length > maxLength) break;
  }
  if (raw === "") return undefined;
  if (!looksLeaky(raw)) return boundLength(raw, maxLength);
  let joined = "";
  for (const part of parts) {
    const text = publicText(part, maxLength);
    if (text === undefined) continue;
    joined = joined === "" ? text : `${joined}; ${text}`;
    if (joined.length > maxLength) break;
  }
  return joined === "" ? undefined : publicText(joined, maxLength);
}

function toLog(origin: OriginError): NormalizeLog {
  const log: NormalizeLog = { dialect: origin.dialect };
  let said: string | undefined;
  eachDetail(origin, (message) => {
    said = "parts" in message ? message.parts(MAX_LOG_DETAIL_LENGTH).join("; ") : message.text;
    return true;
  });
  if (said !== undefined) {
    const detail = boundLength(stripControls(said), MAX_LOG_DETAIL_LENGTH);
    if (detail !== "") log.originDetail = detail;
  }
  if (origin.code !== undefined) {
    const code = boundLength(stripControls(origin.code), MAX_CODE_LENGTH);
    if (code !== "") log.code = code;
  }
  return log;
}

/** A code is an identifier, not prose: one line, bounded, and never a leak. */
function publicCode(raw: string): string | undefined {
  const code = stripControls(raw);
  return code === "" || code.length > MAX_CODE_LENGTH || looksLeaky(code) ? undefined : code;
}

/** Own properties only: a code named "constructor" must not find Object.prototype's. */
function mappedType(codeTypes: Record<string, CodeType>, code: string): CodeType | undefined {
  if (!Object.hasOwn(codeTypes, code)) return undefined;
  const entry = codeTypes[code];
  return entry !== undefined && isUriReference(entry.type) && entry.type !== "" ? entry : undefined;
}

/** An origin `type` or `instance`: kept only when a valid, non-leaky URI reference (RFC 9457 §3.1.1, §3.1.5). */
function publicUri(raw: string): string | undefined {
  const uri = raw.trim();
  return uri !== "" && isUriReference(uri) && !looksLeaky(uri) ? uri : undefined;
}

// An RFC 6901 pointer (§3) in string form, without control characters.
const PUBLIC_POINTER = /^(?:\/(?:[^~/\u0000-\u001F\u007F-\u009F]|~[01])*)*$/;

function publicFieldErrors(errors: readonly FieldError[], maxLength: number): FieldError[] {
  // Each detail on one line and each pointer well-formed, then every text checked in one pass of the
  // leak filter, line breaks between them (no pattern spans one); only when that pass finds something
  // is each checked on its own: a leaky detail drops its entry, a leaky pointer becomes "".
  const entries: { text: string; pointer: string | undefined }[] = [];
  const texts: string[] = [];
  for (const error of errors) {
    if (entries.length >= MAX_FIELD_ERRORS) break;
    const text = stripControls(error.detail);
    if (text === "") continue;
    // A pointer is built from origin field names: it is checked like any other origin text.
    const pointer = error.pointer.length <= 512 && PUBLIC_POINTER.test(error.pointer) ? error.pointer : undefined;
    entries.push({ text, pointer });
    texts.push(text);
    if (pointer !== undefined && pointer !== "") texts.push(pointer);
  }
  const clean = !looksLeaky(texts.join("\n"));
  const out: FieldError[] = [];
  for (const { text, pointer } of entries) {
    if (!clean && looksLeaky(text)) continue;
    const safe = pointer !== undefined && (clean || !looksLeaky(pointer));
    out.push({ detail: boundLength(text, maxLength), pointer: safe ? pointer : "" });
  }
  return out;
}
