/**
 * The proxy's response seam for errors: an origin response with status >= 400
 * leaves as RFC 9457 problem details with the origin's status, whatever
 * dialect the origin speaks. Responses below 400 never come here: they
 * stream through unread (src/proxy/step.ts).
 */
import type { RequestRecord } from "../request/record";
import { problemResponse } from "../problems";
import type { ErrorsPlan } from "./config";
import { keptErrorHeaders } from "./error-headers";
import { normalizeOriginError } from "./normalize-origin-error";
import { readErrorBody } from "./read-error-body";

/** `deadline`: when the exchange with the origin must be over; the error body is read until then at most. */
export async function normalizeErrorResponse(origin: Response, errors: ErrorsPlan, request: RequestRecord, deadline: number): Promise<Response> {
  const log = request.log;
  const body = await readErrorBody(origin.body, origin.headers, errors.maxBodyBytes, deadline);
  const result = normalizeOriginError(
    { status: origin.status, headers: origin.headers, text: body.text, truncated: body.truncated },
    { exposeServerErrors: errors.exposeServerErrors, maxDetailLength: errors.maxDetailLength, codeTypes: errors.codeTypes, codeHeaders: errors.codeHeaders },
    { requestId: request.id, instance: request.path },
  );

  // The operator keeps everything the origin said; the client gets the problem.
  log.problem_type = result.problem.type;
  log.origin_dialect = result.log.dialect;
  if (result.log.code !== undefined) log.origin_code = result.log.code;
  if (result.log.originDetail !== undefined) log.origin_detail = result.log.originDetail;
  if (body.truncated) log.origin_body_truncated = true;
  if (body.timedOut === true) log.origin_body_timeout = true;
  if (body.undecodable !== undefined) log.origin_body_undecodable = body.undecodable;

  const hidden = origin.status >= 500 && !errors.exposeServerErrors;
  return problemResponse(result.problem, keptErrorHeaders(origin.headers, origin.status, hidden));
}
