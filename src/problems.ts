/**
 * The closed set of problems the gateway itself produces, and the one place a
 * problem becomes an HTTP response (RFC 9457).
 *
 * Adding a problem type means adding an entry here; the `satisfies` clause makes
 * an entry without a status, title or docs line fail to compile, and
 * test/unit/problems.test.ts fails until docs/problem-types.md lists it.
 */
import { asUriReference } from "./normalize/uri";

export interface ProblemTypeSpec {
  /** HTTP status the problem is always sent with. */
  readonly status: number;
  /** Short, stable summary of the problem type (RFC 9457 §3.1.3). */
  readonly title: string;
  /** One line for the problem-type catalog (docs/problem-types.md): when the gateway sends it. */
  readonly docs: string;
  /**
   * A registered, absolute type URI that replaces `<problem_base_url><slug>`.
   * Used where an IANA-registered type exists (RFC 9457 §4.2).
   */
  readonly uri?: string;
}

export const PROBLEM_TYPES = {
  "invalid-request": {
    status: 400,
    title: "Invalid request",
    docs: "The request's framing is broken (an invalid or conflicting Content-Length, Content-Length together with Transfer-Encoding), or its path is ambiguous (reject_ambiguous_paths).",
  },
  "invalid-credentials-request": {
    status: 400,
    title: "Malformed credentials",
    docs: "The credentials are malformed: an Authorization or API-key header (or query parameter) that cannot be a credential, or more than one credential at once (RFC 6750 §3.1 invalid_request).",
  },
  unauthenticated: {
    status: 401,
    title: "Authentication required",
    docs: "The route requires credentials and none were sent, or the credentials are not valid (RFC 6750 §3).",
  },
  "insufficient-scope": {
    status: 403,
    title: "Insufficient scope",
    docs: "The credentials are valid but lack a scope the route requires (RFC 6750 §3.1 insufficient_scope).",
  },
  "cors-rejected": {
    status: 403,
    title: "Cross-origin request refused",
    docs: "A CORS preflight asked for an origin, method or request header the route's `cors` policy does not allow; `detail` says which. Sent without any `Access-Control-Allow-*` header, so the browser refuses the call (Fetch §3.2).",
  },
  "not-found": {
    status: 404,
    title: "Not found",
    docs: "No configured route matches the path and `unmatched = \"not_found\"` is set.",
  },
  "method-not-allowed": {
    status: 405,
    title: "Method not allowed",
    docs: "The route does not allow the request method; `Allow` lists the methods it does (RFC 9110 §15.5.6).",
  },
  "content-too-large": {
    status: 413,
    title: "Content too large",
    docs: "The request body is larger than the route's `max_body_bytes`, by its Content-Length or counted while streaming (RFC 9110 §15.5.14).",
  },
  "uri-too-long": {
    status: 414,
    title: "URI too long",
    docs: "The request target is longer than `max_url_length` (RFC 9110 §15.5.15).",
  },
  "unsupported-media-type": {
    status: 415,
    title: "Unsupported media type",
    docs: "The request has a body whose Content-Type (or lack of one) the route does not accept; `Accept` (and `Accept-Post`/`Accept-Patch`) list what it does (RFC 9110 §15.5.16).",
  },
  "quota-exceeded": {
    status: 429,
    title: "Quota exceeded",
    docs: "A rate-limit policy's quota is used up; `Retry-After` says when to try again and `violated-policies` names the policies (draft-ietf-httpapi-ratelimit-headers §5).",
    uri: "https://iana.org/assignments/http-problem-types#quota-exceeded",
  },
  "request-header-fields-too-large": {
    status: 431,
    title: "Request header fields too large",
    docs: "The request's header section is larger than `max_header_bytes` (RFC 6585 §5).",
  },
  "internal-error": {
    status: 500,
    title: "Internal gateway error",
    docs: "The gateway failed unexpectedly, its configuration is invalid, or a binding an upstream names is missing from the Worker; the cause is logged with the request id, never sent.",
  },
  "bad-gateway": {
    status: 502,
    title: "Bad gateway",
    docs: "The origin could not be reached (refused, reset, DNS failure; for an upstream with several URLs, none of them), sent an invalid response, or is a Worker behind a service binding that threw.",
  },
  "service-unavailable": {
    status: 503,
    title: "Service unavailable",
    docs: "A dependency the route needs (the rate limiter in fail-closed mode, or the issuer's JWKS for JWT verification) did not answer, or every URL of the route's upstream is cooling down after consecutive failures (circuit breaker); `Retry-After` says when to try again.",
  },
  "gateway-timeout": {
    status: 504,
    title: "Gateway timeout",
    docs: "The origin sent no response headers within the route's `timeout_ms`; the upstream request was aborted.",
  },
} as const satisfies Record<string, ProblemTypeSpec>;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

/** An RFC 9457 problem details object as the gateway sends it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  request_id: string;
  [extension: string]: unknown;
}

export interface GatewayErrorOptions {
  /** Headers the status calls for (Allow, Accept, Retry-After, WWW-Authenticate …). */
  headers?: Record<string, string>;
  /** Extension members added to the problem (RFC 9457 §3.2). */
  extensions?: Record<string, unknown>;
  /** What went wrong, for the operator's log only; never sent to the client. */
  cause?: unknown;
}

/**
 * The one error type of the gateway. Middleware throws it; `renderError` in
 * src/error-handler.ts turns it (and anything else thrown) into a problem.
 * `detail` is public: it must never carry origin internals or secrets.
 */
export class GatewayError extends Error {
  readonly kind: ProblemKind;
  readonly detail: string;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(kind: ProblemKind, detail: string, options: GatewayErrorOptions = {}) {
    super(`${kind}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    this.kind = kind;
    this.detail = detail;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  get status(): number {
    return PROBLEM_TYPES[this.kind].status;
  }

  /** The same error with more headers (e.g. the lockout's RateLimit fields on a 401). */
  withHeaders(headers: Record<string, string>): GatewayError {
    return new GatewayError(this.kind, this.detail, { headers: { ...this.headers, ...headers }, extensions: this.extensions, cause: this.cause });
  }
}

export const DEFAULT_PROBLEM_BASE_URL = "tag:portcullis.dev,2026:problems/";

/** The `type` URI of one of the gateway's own problems. */
export function problemTypeUri(kind: ProblemKind, baseUrl: string = DEFAULT_PROBLEM_BASE_URL): string {
  const spec: ProblemTypeSpec = PROBLEM_TYPES[kind];
  return spec.uri ?? `${baseUrl}${kind}`;
}

export interface ProblemContext {
  requestId: string;
  /** The request path; `instance` identifies this occurrence (RFC 9457 §3.1.5). */
  instance: string;
  problemBaseUrl?: string;
}

export function gatewayProblem(error: GatewayError, context: ProblemContext): ProblemDocument {
  const spec = PROBLEM_TYPES[error.kind];
  return {
    ...error.extensions,
    type: problemTypeUri(error.kind, context.problemBaseUrl),
    title: spec.title,
    status: spec.status,
    detail: error.detail,
    instance: asUriReference(context.instance),
    request_id: context.requestId,
  };
}

const PROBLEM_CONTENT_TYPE = "application/problem+json";

const encoder = new TextEncoder();

/**
 * Renders a problem. Every problem response, the gateway's own and normalized
 * origin errors alike, leaves through here. `headers`: lower-case names. The
 * header set is built in one go: in workerd each later change to it costs
 * more than building it whole.
 */
export function problemResponse(problem: ProblemDocument, headers: Readonly<Record<string, string>> = {}): Response {
  const body = encoder.encode(JSON.stringify(problem));
  const out: Record<string, string> = {
    // Errors describe one occurrence; a shared cache must not replay them (unless the caller says otherwise).
    "cache-control": "no-store",
    ...headers,
    "content-type": PROBLEM_CONTENT_TYPE,
    "x-request-id": problem.request_id,
    "content-length": String(body.byteLength),
  };
  return new Response(body, { status: problem.status, headers: out });
}
