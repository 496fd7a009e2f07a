/**
 * Every way the upstream exchange can fail, classified once (as Go's
 * ReverseProxy has one ErrorHandler): the body passed its limit → 413, the
 * deadline passed → 504, anything else (refused, reset, invalid) → 502.
 *
 * When two happen, the first wins. Both the byte counter and the deadline
 * abort the upstream fetch through one AbortController, whose signal keeps
 * only the first reason it is given: a chunked body that passed its limit
 * before the deadline is a 413 even if the deadline fires while the fetch
 * unwinds, and a deadline that fired first is a 504 even if more of the body
 * arrives afterwards. Nothing else (such as the byte count read later) is
 * consulted.
 */
import { contentTooLarge } from "../limits/request-checks";
import { GatewayError } from "../problems";
import { BodyLimitExceeded } from "./byte-counter";

export class UpstreamTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no response headers from the origin within ${ms} ms`);
    this.name = "UpstreamTimeout";
  }
}

/** `reason`: the abort signal's reason (the first failure), if it was aborted; `error`: what fetch threw. */
export function classifyFailure(reason: unknown, error: unknown, maxBodyBytes: number): GatewayError {
  if (reason instanceof BodyLimitExceeded) return contentTooLarge(maxBodyBytes);
  if (reason instanceof UpstreamTimeout) {
    return new GatewayError("gateway-timeout", "The origin did not respond in time.", { cause: reason.message });
  }
  const cause = `origin fetch failed: ${error instanceof Error ? error.message : String(error)}`;
  return new GatewayError("bad-gateway", "The origin could not be reached or sent an invalid response.", { cause });
}
