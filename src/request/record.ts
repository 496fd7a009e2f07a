/** The request as the first step read it (src/request/step.ts): what every later step and every problem uses. */

/** Fields of the request's log line, named as they appear in it. */
export interface RequestLog {
  route?: string;
  origin_status?: number;
  problem_type?: string;
  bytes_in?: number;
  /** Response body bytes, when the response declares them (Content-Length). */
  bytes_out?: number;
  /** Operator-only reason for an error; never sent to the client. */
  cause?: string;
  [field: string]: unknown;
}

export interface RequestRecord {
  readonly id: string;
  /** The traceparent sent upstream (a new span of the client's trace, or a new trace). */
  readonly traceparent: string;
  /** Path and query exactly as the client sent them (no decoding or re-encoding). */
  readonly target: string;
  /** The path alone, as sent: the problems' `instance`. */
  readonly path: string;
  /** "http" or "https", and the Host the client asked for (for Forwarded). */
  readonly proto: string;
  readonly host: string;
  /** The client address as the platform saw it (CF-Connecting-IP), if known. */
  readonly clientIp: string | null;
  /** One line per request, written when the response is known; steps add their fields. */
  readonly log: RequestLog;
}
