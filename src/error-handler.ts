/**
 * The one place a thrown error becomes a response. GatewayErrors carry their
 * problem type and public detail; anything else is a bug or a platform fault,
 * answered with a 500 problem whose detail names nothing internal. The cause
 * goes to the request's log line only.
 */
import type { GatewayContext } from "./context";
import { describeError } from "./http-syntax";
import { GatewayError, gatewayProblem, problemResponse, problemTypeUri } from "./problems";

export function renderError(err: Error, c: GatewayContext): Response {
  const error = err instanceof GatewayError
    ? err
    : new GatewayError("internal-error", "The gateway failed to process the request. Quote the request id when reporting this.", { cause: err });
  // Set by the first step before anything can throw.
  const request = c.get("request");
  const problemBaseUrl = c.get("plan")?.problemBaseUrl;
  request.log.problem_type = problemTypeUri(error.kind, problemBaseUrl);
  const cause = error.cause ?? (err instanceof GatewayError ? undefined : err);
  if (cause !== undefined) request.log.cause = describeError(cause);
  const problem = gatewayProblem(error, { requestId: request.id, instance: request.path, problemBaseUrl });
  return problemResponse(problem, error.headers);
}
