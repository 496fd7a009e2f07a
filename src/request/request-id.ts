/**
 * Request ids and W3C Trace Context (https://www.w3.org/TR/trace-context/).
 */

import { toHex } from "../digest";

// Bounded and free of anything that could smuggle into a log line or header.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/;

/** Keeps a caller's id when it is safe to echo, otherwise mints one. */
export function requestIdFrom(incoming: string | null): string {
  if (incoming !== null && VALID_REQUEST_ID.test(incoming)) return incoming;
  return crypto.randomUUID();
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

function randomHex(bytes: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(bytes)));
}

const NEW_TRACE_BYTES = 24; // a trace id (16) and a parent id (8), from one call

/**
 * The traceparent to send upstream. A valid incoming one keeps its trace id and
 * flags and gets a new parent id: the gateway is a hop of its own (Trace
 * Context §3.2.2.3 says a vendor updates parent-id). Anything invalid is
 * replaced by a new trace (§3.2.2: on a parse failure, restart the trace).
 */
export function nextTraceparent(incoming: string | null): { traceparent: string; continued: boolean } {
  const m = incoming === null ? null : TRACEPARENT.exec(incoming.trim().toLowerCase());
  if (m !== null) {
    const [, version = "", traceId = "", parentId = "", flags = "", rest] = m;
    // Version ff is invalid; version 00 must have nothing after the flags.
    const validVersion = version !== "ff" && (version !== "00" || rest === undefined);
    if (validVersion && !/^0+$/.test(traceId) && !/^0+$/.test(parentId)) {
      return { traceparent: `00-${traceId}-${randomHex(8)}-${flags}`, continued: true };
    }
  }
  const hex = randomHex(NEW_TRACE_BYTES);
  return { traceparent: `00-${hex.slice(0, 32)}-${hex.slice(32)}-01`, continued: false };
}
