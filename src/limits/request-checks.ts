/**
 * The gateway's own request checks, as pure functions: each returns the
 * GatewayError to answer with, or undefined. None needs an identity, so they
 * run before authentication (see src/gateway.ts for the order).
 */
import { acceptsMediaType } from "../media-type";
import { GatewayError } from "../problems";
import type { RequestSizeLimits, RouteLimits } from "./config";

/** RFC 9110 §15.5.15 (414) and RFC 6585 §5 (431). */
export function checkRequestSize(target: string, headers: Headers, limits: RequestSizeLimits): GatewayError | undefined {
  if (target.length > limits.maxUrlLength) {
    return new GatewayError("uri-too-long", `The request target is ${target.length} characters long; this gateway accepts at most ${limits.maxUrlLength}.`);
  }
  let bytes = 0;
  for (const [name, value] of headers) bytes += name.length + value.length + 4; // "name: value\r\n"
  if (bytes > limits.maxHeaderBytes) {
    return new GatewayError("request-header-fields-too-large", `The request's header fields total ${bytes} bytes; this gateway accepts at most ${limits.maxHeaderBytes}.`);
  }
  return undefined;
}

/** RFC 9110 §15.5.6: a 405 MUST carry Allow with the target's methods. */
export function checkMethod(method: string, limits: RouteLimits): GatewayError | undefined {
  if (limits.methodSet.has(method)) return undefined;
  const allow = limits.allow;
  return new GatewayError("method-not-allowed", `${method} is not allowed here. Allowed methods: ${allow}.`, { headers: { allow } });
}

export type BodyFraming =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "stream" };

/**
 * Reads Content-Length (RFC 9110 §8.6, RFC 9112 §6.3). Repeated identical values
 * are one value; different or non-numeric ones are an error, since two parties
 * reading two lengths is how request smuggling starts. So is Content-Length
 * with Transfer-Encoding (RFC 9112 §6.1).
 */
export function readBodyFraming(headers: Headers, hasBody: boolean): BodyFraming | GatewayError {
  const declared = headers.get("content-length");
  if (declared !== null) {
    if (headers.has("transfer-encoding")) {
      return new GatewayError("invalid-request", "The request has both Content-Length and Transfer-Encoding; send exactly one of them.");
    }
    const values = declared.split(",").map((v) => v.trim());
    if (!values.every((v) => /^[0-9]+$/.test(v))) {
      return new GatewayError("invalid-request", "Content-Length must be a non-negative decimal integer.");
    }
    if (new Set(values.map((v) => v.replace(/^0+(?=\d)/, ""))).size > 1) {
      return new GatewayError("invalid-request", "The request has conflicting Content-Length values.");
    }
    const length = Number(values[0]);
    return { kind: "length", length };
  }
  return hasBody ? { kind: "stream" } : { kind: "none" };
}

export function checkDeclaredLength(framing: BodyFraming, limits: RouteLimits): GatewayError | undefined {
  if (framing.kind === "length" && framing.length > limits.maxBodyBytes) {
    return contentTooLarge(limits.maxBodyBytes);
  }
  return undefined;
}

export function contentTooLarge(maxBodyBytes: number): GatewayError {
  return new GatewayError("content-too-large", `The request body exceeds this route's limit of ${maxBodyBytes} bytes.`);
}

/**
 * RFC 9110 §15.5.16: 415 for a body in a format the route does not accept,
 * including no Content-Type at all. Accept lists what would be accepted;
 * Accept-Post (W3C LDP §7.1) and Accept-Patch (RFC 5789 §3.1) say it for
 * POST and PATCH specifically.
 */
export function checkMediaType(method: string, contentType: string | null, framing: BodyFraming, limits: RouteLimits): GatewayError | undefined {
  if (limits.acceptRanges.length === 0) return undefined;
  const carriesBody = framing.kind === "stream" || (framing.kind === "length" && framing.length > 0);
  if (!carriesBody || acceptsMediaType(limits.acceptRanges, contentType)) return undefined;
  const accepted = limits.acceptValue;
  const headers: Record<string, string> = { accept: accepted };
  if (method === "POST") headers["accept-post"] = accepted;
  if (method === "PATCH") headers["accept-patch"] = accepted;
  const sent = contentType === null ? "The request body has no Content-Type." : "The request body's Content-Type is not accepted here.";
  return new GatewayError("unsupported-media-type", `${sent} Accepted: ${accepted}.`, { headers });
}
