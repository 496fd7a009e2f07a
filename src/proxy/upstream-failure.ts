/**
 * Every way the upstream exchange can fail, classified once (as Go's
 * ReverseProxy has one ErrorHandler): the body passed its limit → 413, the
 * deadline passed → 504, anything else (refused, reset, invalid) → 502; every
 * URL of an upstream cooling down → 503 with Retry-After; a binding the
 * Worker lacks → 500. The client gets the problem; the cause goes to the log.
 *
 * When two happen, the first wins. Both the byte counter and the deadline
 * abort the upstream fetch through one ExchangeAbort (exchange.ts), which
 * keeps only the first failure it is given: a chunked body that passed its limit
 * before the deadline is a 413 even if the deadline fires while the fetch
 * unwinds, and a deadline that fired first is a 504 even if more of the body
 * arrives afterwards. Nothing else (such as the byte count read later) is
 * consulted.
 */
import { contentTooLarge } from "../limits/request-checks";
import { GatewayError } from "../problems";
import type { Transport } from "../upstreams/config";
import { BodyLimitExceeded } from "./byte-counter";

export class UpstreamTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no response headers from the origin within ${ms} ms`);
    this.name = "UpstreamTimeout";
  }
}

const UNREACHABLE = "The origin could not be reached or sent an invalid response.";

/** `reason`: the first failure that cut the exchange off, if one did; `error`: what fetch threw. */
export function classifyFailure(reason: unknown, error: unknown, maxBodyBytes: number): GatewayError {
  if (reason instanceof BodyLimitExceeded) return contentTooLarge(maxBodyBytes);
  if (reason instanceof UpstreamTimeout) {
    return new GatewayError("gateway-timeout", "The origin did not respond in time.", { cause: reason.message });
  }
  const cause = `origin fetch failed: ${error instanceof Error ? error.message : String(error)}`;
  return new GatewayError("bad-gateway", UNREACHABLE, { cause });
}

/**
 * RFC 9110 §15: a final response is 200-599 (Response cannot carry anything
 * else). A 1xx here is an interim response handed over as final, or a status
 * line the origin made up: either way not an answer to relay.
 */
export function nonFinalStatus(status: number): GatewayError {
  return new GatewayError("bad-gateway", UNREACHABLE, { cause: `origin answered with status ${status}, which is not a final response` });
}

/** Nothing was tried: every URL's breaker is open (src/upstreams/breaker.ts). */
export function allAttemptsSkipped(upstream: string, retryAfterSeconds: number, made: number): GatewayError {
  if (made > 0) return new GatewayError("bad-gateway", UNREACHABLE, { cause: `upstream ${upstream}: no URL left to try after ${made} attempt(s)` });
  return new GatewayError("service-unavailable", "The origin is temporarily unavailable. Try again after the time in Retry-After.", {
    headers: { "retry-after": String(retryAfterSeconds) },
    cause: `upstream ${upstream}: every URL is cooling down after consecutive failures (circuit breaker open)`,
  });
}

/** The binding an upstream names is not in the Worker's env: a deployment mistake, never a fallback. */
export function missingBinding(upstream: string, transport: Exclude<Transport, { kind: "fetch" }>): GatewayError {
  const section = transport.kind === "service" ? "[[services]]" : "[[mtls_certificates]]";
  return new GatewayError("internal-error", "The gateway is misconfigured and cannot serve this request. Quote the request id when reporting this.", {
    cause: `upstream ${upstream}: env.${transport.binding} is not a binding with fetch(); add it to ${section} of this environment in wrangler.toml`,
  });
}
