/**
 * What the origin learns about the caller, and what it must not receive.
 * Client-sent copies of the identity headers are removed on every route, so a
 * client can never claim an identity; the credential itself is removed unless
 * the route sets `pass_credentials`. Pure.
 */
import type { AuthConfig, RouteAuthSettings } from "../config/auth-config";
import type { Identity, UpstreamRewrite } from "../context";
import { withoutQueryParam } from "./credentials";

/**
 * A consumer id (or tier) the origin can receive in a header: printable
 * ASCII (RFC 9110 §5.5 field-vchar and SP), no leading or trailing space,
 * at most 256 characters.
 */
const CONSUMER_ID = /^[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?$/;

export function isConsumerId(value: string): boolean {
  return CONSUMER_ID.test(value);
}

export function upstreamRewrite(url: string, auth: AuthConfig, route: RouteAuthSettings, identity: Identity | undefined): UpstreamRewrite {
  const { consumer, scopes, subject } = auth.identityHeaders;
  const strip = route.passCredentials ? [] : ["authorization", auth.apiKeyHeader];
  const param = auth.apiKeyQueryParam;
  return {
    url: route.passCredentials || param === undefined ? url : withoutQueryParam(url, param),
    headers(headers) {
      for (const name of [consumer, scopes, subject, ...strip]) headers.delete(name);
      if (identity === undefined) return;
      headers.set(consumer, identity.consumer);
      headers.set(scopes, identity.scopes.join(" "));
      if (identity.subject !== undefined) headers.set(subject, identity.subject);
    },
  };
}
