/**
 * The first of the proxy's three seams (as in Go's httputil.ReverseProxy):
 * the upstream request, built from the inbound one, the route's plan and the
 * identity. The inbound request is never mutated.
 *
 * The target goes to the upstream exactly as the client sent it (no decoding
 * or re-encoding that could change meaning), appended to the upstream's base;
 * only the route's `strip_prefix` segments and the API-key query parameter
 * (where keys are read from one) are taken out.
 *
 * The Host the upstream sees (docs/upstreams.md): a URL's own host, always —
 * the runtime derives it from the URL and a Worker cannot choose it. A
 * service binding's Worker is sent a Host matching the URL it sees: its
 * `url`'s, or the client's with `preserve_host` or without a `url`.
 */
import type { Identity } from "../auth/identity";
import { identityHeaderValues } from "../auth/forwarding";
import { withoutQueryParam } from "../auth/credentials";
import type { RequestRecord } from "../request/record";
import { stripSegments, type UpstreamPlan, type UpstreamTarget } from "../upstreams/upstream";
import { upstreamRequestHeaders } from "./header-hygiene";

export interface UpstreamRequest {
  /** Path and query, appended to each target's base. */
  readonly target: string;
  readonly headers: Headers;
}

export function upstreamRequest(inbound: Request, request: RequestRecord, plan: UpstreamPlan, identity: Identity | undefined): UpstreamRequest {
  const { forwarding } = plan;
  let target = forwarding.stripQueryParam === undefined ? request.target : withoutQueryParam(request.target, forwarding.stripQueryParam);
  if (plan.stripSegments > 0) target = stripSegments(target, plan.stripSegments);
  const headers = upstreamRequestHeaders(inbound.headers, { ip: request.clientIp, proto: request.proto, host: request.host }, forwarding);
  headers.set("x-request-id", request.id);
  headers.set("traceparent", request.traceparent);
  if (identity !== undefined) for (const [name, value] of identityHeaderValues(forwarding, identity)) headers.set(name, value);
  if (plan.upstream.transport.kind === "service") {
    // A binding's request carries no Host unless given one; a Worker reached directly always has one.
    const own = plan.upstream.targets[0].host;
    headers.set("host", plan.preserveHost || own === undefined ? request.host : own);
  }
  return { target, headers };
}

/** The URL of one attempt. */
export function targetUrl(upstream: UpstreamTarget, plan: UpstreamPlan, request: RequestRecord, target: string): string {
  if (upstream.base === undefined) return `${request.proto}://${request.host}${target}`;
  if (plan.preserveHost) return `${upstream.protocol ?? `${request.proto}:`}//${request.host}${upstream.path}${target}`;
  return upstream.base + target;
}
