/** What the middleware share about one request (Hono context variables). */
import type { GatewayConfig, Route } from "./config/gateway-config";

/** Fields of the request's log line, named as they appear in it. */
export interface RequestLog {
  route?: string;
  origin_status?: number;
  problem_type?: string;
  bytes_in?: number;
  /** A number, or a promise of one when the body streams with no known length. */
  bytes_out?: number | Promise<number>;
  /** Operator-only reason for an error; never sent to the client. */
  cause?: string;
  [field: string]: unknown;
}

export interface GatewayVariables {
  requestId: string;
  traceparent: string;
  /** Set once the configuration is known to be valid. */
  config: GatewayConfig;
  route: Route;
  log: RequestLog;
}

export interface GatewayEnv {
  Bindings: Env;
  Variables: GatewayVariables;
}
