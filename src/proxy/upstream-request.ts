/**
 * The first of the proxy's three seams (as in Go's httputil.ReverseProxy):
 * the upstream request, built from the inbound one, the route's plan and the
 * identity. The inbound request is never mutated.
 *
 * The target goes to the origin exactly as the client sent it (no decoding
 * or re-encoding that could change meaning), appended to the origin's base;
 * only the API-key query parameter is taken out where keys are read from one.
 */
import type { Identity } from "../auth/identity";
import { identityHeaderValues } from "../auth/forwarding";
import { withoutQueryParam } from "../auth/credentials";
import type { UpstreamPlan } from "../config/compile";
import type { RequestRecord } from "../request/record";
import { upstreamRequestHeaders } from "./header-hygiene";

export interface UpstreamRequest {
  readonly url: string;
  readonly headers: Headers;
}

export function upstreamRequest(inbound: Request, request: RequestRecord, upstream: UpstreamPlan, identity: Identity | undefined): UpstreamRequest {
  const { forwarding } = upstream;
  const target = forwarding.stripQueryParam === undefined ? request.target : withoutQueryParam(request.target, forwarding.stripQueryParam);
  const headers = upstreamRequestHeaders(inbound.headers, { ip: request.clientIp, proto: request.proto, host: request.host }, forwarding);
  headers.set("x-request-id", request.id);
  headers.set("traceparent", request.traceparent);
  if (identity !== undefined) for (const [name, value] of identityHeaderValues(forwarding, identity)) headers.set(name, value);
  return { url: upstream.base + target, headers };
}
