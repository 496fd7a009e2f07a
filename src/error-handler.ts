/**
 * The one place a thrown error becomes a response. GatewayErrors carry their
 * problem type and public detail; anything else is a bug or a platform fault,
 * answered with a 500 problem whose detail names nothing internal. The cause
 * goes to the request's log line only.
 */
import type { Context } from "hono";
import type { GatewayEnv } from "./context";
import { GatewayError, gatewayProblem, problemResponse, problemTypeUri } from "./problems";

export function renderError(err: Error, c: Context<GatewayEnv>): Response {
  const error = err instanceof GatewayError
    ? err
    : new GatewayError("internal-error", "The gateway failed to process the request. Quote the request id when reporting this.", { cause: err });
  const requestId = c.get("requestId") ?? crypto.randomUUID();
  const problemBaseUrl = c.get("config")?.problemBaseUrl;
  const log = c.get("log");
  if (log !== undefined) {
    log.problem_type = problemTypeUri(error.kind, problemBaseUrl);
    const cause = error.cause ?? (err instanceof GatewayError ? undefined : err);
    if (cause !== undefined) log.cause = describeCause(cause);
  }
  const problem = gatewayProblem(error, { requestId, instance: (c.get("url") ?? new URL(c.req.url)).pathname, problemBaseUrl });
  return problemResponse(problem, error.headers);
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
