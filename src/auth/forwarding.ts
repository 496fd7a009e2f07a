/**
 * What the origin learns about the caller, and what it must not receive,
 * compiled per route. Client-sent copies of the identity headers are removed
 * on every route, so a client can never claim an identity; the credential
 * itself is removed unless the route sets `pass_credentials`. The proxy
 * applies the plan when it builds the upstream request (src/proxy/upstream-request.ts).
 */
import type { AuthConfig, IdentityHeaders, RouteAuthSettings } from "./config";
import type { Identity } from "./identity";

export interface ForwardingPlan {
  /** Lower-case names removed from the upstream request: identity headers, and the credential headers unless passed. */
  readonly remove: ReadonlySet<string>;
  /** Identity and credential header names: their underscore spellings are removed too (header-hygiene.ts). */
  readonly reserved: ReadonlySet<string>;
  readonly identityHeaders: IdentityHeaders;
  /** The API-key query parameter removed from the target, if keys are read from one and not passed on. */
  readonly stripQueryParam: string | undefined;
}

export function compileForwarding(auth: AuthConfig, route: RouteAuthSettings): ForwardingPlan {
  const { consumer, scopes, subject } = auth.identityHeaders;
  const credentials = ["authorization", auth.apiKeyHeader];
  return {
    remove: new Set([consumer, scopes, subject, ...(route.passCredentials ? [] : credentials)]),
    reserved: new Set([consumer, scopes, subject, ...credentials]),
    identityHeaders: auth.identityHeaders,
    stripQueryParam: route.passCredentials ? undefined : auth.apiKeyQueryParam,
  };
}

/** The identity as the origin receives it. */
export function identityHeaderValues(plan: ForwardingPlan, identity: Identity): [string, string][] {
  const { consumer, scopes, subject } = plan.identityHeaders;
  const out: [string, string][] = [[consumer, identity.consumer], [scopes, identity.scopes.join(" ")]];
  if (identity.subject !== undefined) out.push([subject, identity.subject]);
  return out;
}
