/** What the middleware share about one request (Hono context variables). */
import type { GatewayConfig, Route } from "./config/gateway-config";
import type { CorsRequest } from "./cors/policy";

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

/** Who is calling, once authentication succeeded (src/middleware/authenticate.ts). */
export interface Identity {
  /** Stable consumer id: the API key record's consumer, or the JWT subject. */
  readonly consumer: string;
  readonly scopes: readonly string[];
  readonly method: "api_key" | "jwt";
  /** JWT `sub`, when authenticated by JWT. */
  readonly subject?: string;
  /** Rate-limit tier from the API key record, if any. */
  readonly tier?: string;
}

/** How the request the origin receives differs from the client's (set by authenticate, applied by the proxy). */
export interface UpstreamRewrite {
  /** The inbound URL minus credentials sent in its query. */
  readonly url: string;
  /** Edits the outbound headers after the proxy's own hygiene: removes credentials and spoofed identity, sets the identity. */
  readonly headers: (headers: Headers) => void;
}

export interface GatewayVariables {
  /** The request URL, parsed once. */
  url: URL;
  requestId: string;
  traceparent: string;
  /** Set once the configuration is known to be valid. */
  config: GatewayConfig;
  route: Route;
  log: RequestLog;
  /** Absent on public routes and before authentication ran. */
  identity?: Identity;
  upstreamRewrite?: UpstreamRewrite;
  /** When the exchange with the origin must be over (set by the proxy): the bound on reading its error body. */
  originDeadline?: number;
  /** Origin and preflight headers, read once by the cors step; absent when no CORS policy is configured. */
  cors?: CorsRequest;
}

export interface GatewayEnv {
  Bindings: Env;
  Variables: GatewayVariables;
}
