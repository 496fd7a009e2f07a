/**
 * Finds the credential a request presents, without judging it: the
 * Authorization header (RFC 9110 §11.6.2), the API-key header and, only when
 * configured, the API-key query parameter. The one reader of credentials:
 * the lockout, authentication and the rate limiter's `api_key` key all use
 * its one reading of a request (src/auth/step.ts), digest included.
 */
import { sha256, toHex } from "../digest";
import { TOKEN_SOURCE } from "../http-syntax";

export interface CredentialSources {
  /** Lower-case name of the API-key header, e.g. "x-api-key". */
  readonly apiKeyHeader: string;
  /** Query parameter read for API keys; undefined (the default) reads none. */
  readonly apiKeyQueryParam?: string;
  /** False on JWT-only routes: the API-key header and parameter are not read. */
  readonly readsApiKeys: boolean;
}

export type PresentedCredential =
  | { readonly kind: "none" }
  /** `detail` is public: it says what is wrong with the syntax, never with a credential's validity. */
  | { readonly kind: "malformed"; readonly detail: string }
  | { readonly kind: "bearer"; readonly token: string }
  | { readonly kind: "api_key"; readonly key: string };

// RFC 9110 §5.6.2 token, §11.2 token68 (= RFC 6750 §2.1 b64token), §11.2 auth-param.
const TOKEN = TOKEN_SOURCE;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const AUTH_PARAM = `${TOKEN}[ \\t]*=[ \\t]*(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*")`;
const AUTH_PARAMS = new RegExp(`^${AUTH_PARAM}(?:[ \\t]*,[ \\t]*${AUTH_PARAM})*$`);
const SCHEME = new RegExp(`^${TOKEN}$`);
/** An API key as sent in a header or parameter: visible ASCII, no comma (repeated fields join with ", "). */
const API_KEY = /^[\x21-\x2b\x2d-\x7e]+$/;

/** The credential a request presents, read once, with the SHA-256 every user of it keys by. */
export type Credential =
  | { readonly kind: "none" }
  | { readonly kind: "malformed"; readonly detail: string }
  | {
      readonly kind: "bearer" | "api_key";
      readonly value: string;
      readonly digest: Uint8Array;
      /** 64 lower-case hex characters: what API keys are stored under, and lockout and quota keys name. */
      readonly digestHex: string;
    };

export async function readCredential(headers: Headers, target: string, sources: CredentialSources): Promise<Credential> {
  const presented = readCredentials(headers, target, sources);
  if (presented.kind === "none" || presented.kind === "malformed") return presented;
  const value = presented.kind === "bearer" ? presented.token : presented.key;
  const digest = await sha256(value);
  return { kind: presented.kind, value, digest, digestHex: toHex(digest) };
}

/** `url`: the request URL or its path and query; only the query is read. */
export function readCredentials(headers: Headers, url: string, sources: CredentialSources): PresentedCredential {
  const found: PresentedCredential[] = [];
  const authorization = headers.get("authorization");
  if (authorization !== null) found.push(readAuthorization(authorization));
  if (sources.readsApiKeys) {
    const headerKey = headers.get(sources.apiKeyHeader);
    if (headerKey !== null) found.push(readApiKey(headerKey, `The ${sources.apiKeyHeader} header`));
    if (sources.apiKeyQueryParam !== undefined) {
      const values = queryValues(url, sources.apiKeyQueryParam);
      if (values.length > 1) found.push({ kind: "malformed", detail: `The ${sources.apiKeyQueryParam} query parameter appears more than once.` });
      else if (values[0] !== undefined) found.push(readApiKey(values[0], `The ${sources.apiKeyQueryParam} query parameter`));
    }
  }
  const malformed = found.find((c) => c.kind === "malformed");
  if (malformed !== undefined) return malformed;
  const presented = found.filter((c) => c.kind !== "none");
  // RFC 6750 §3.1: more than one method of sending a credential is invalid_request.
  if (presented.length > 1) return { kind: "malformed", detail: "The request carries more than one credential; send exactly one." };
  return presented[0] ?? { kind: "none" };
}

/**
 * `Bearer <token68>` is a bearer credential. Another scheme with valid
 * credentials syntax is one this gateway does not support: for it, the
 * request has no credentials (RFC 6750 §3.1). Anything else is malformed.
 */
function readAuthorization(value: string): PresentedCredential {
  const space = value.indexOf(" ");
  const scheme = space === -1 ? value : value.slice(0, space);
  const rest = space === -1 ? "" : value.slice(space).replace(/^ +/, "");
  if (!SCHEME.test(scheme)) return { kind: "malformed", detail: "The Authorization header does not start with an authentication scheme." };
  // RFC 9110 §11.1: the scheme is case-insensitive.
  if (scheme.toLowerCase() === "bearer") {
    if (rest === "") return { kind: "malformed", detail: "The Authorization header names the Bearer scheme but carries no token." };
    if (!TOKEN68.test(rest)) return { kind: "malformed", detail: "The bearer token has characters a token cannot have (RFC 6750 §2.1), or the header carries more than one credential." };
    return { kind: "bearer", token: rest };
  }
  if (rest === "" || TOKEN68.test(rest) || AUTH_PARAMS.test(rest)) return { kind: "none" };
  return { kind: "malformed", detail: "The Authorization header is not valid credentials syntax (RFC 9110 §11.4)." };
}

function readApiKey(value: string, where: string): PresentedCredential {
  if (value === "") return { kind: "malformed", detail: `${where} is empty.` };
  if (!API_KEY.test(value)) return { kind: "malformed", detail: `${where} has characters an API key cannot have, or carries more than one key.` };
  return { kind: "api_key", key: value };
}

/** A compact JWS (RFC 7515 §7.1) is three base64url parts; any other bearer token is taken as an API key. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

function querySegments(url: string): { head: string; segments: string[] } {
  const q = url.indexOf("?");
  return q === -1 ? { head: url, segments: [] } : { head: url.slice(0, q), segments: url.slice(q + 1).split("&") };
}

function decodeComponent(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

function segmentName(segment: string): string | undefined {
  const eq = segment.indexOf("=");
  return decodeComponent(eq === -1 ? segment : segment.slice(0, eq));
}

/** Every value of `name` in the URL's query (application/x-www-form-urlencoded); an undecodable value is kept as sent. */
function queryValues(url: string, name: string): string[] {
  return querySegments(url).segments
    .filter((segment) => segmentName(segment) === name)
    .map((segment) => {
      const eq = segment.indexOf("=");
      const raw = eq === -1 ? "" : segment.slice(eq + 1);
      return decodeComponent(raw) ?? raw;
    });
}

/** The URL without any `name` parameter; every other byte of the query is kept as received. */
export function withoutQueryParam(url: string, name: string): string {
  const { head, segments } = querySegments(url);
  if (segments.length === 0) return url;
  const kept = segments.filter((segment) => segmentName(segment) !== name);
  if (kept.length === segments.length) return url;
  return kept.length === 0 ? head : `${head}?${kept.join("&")}`;
}
