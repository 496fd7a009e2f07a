/**
 * Header hygiene for both directions of the proxy (RFC 9110 §7.6.1). The
 * inbound objects are never mutated: each direction is copied by the runtime
 * (keeping repeated Set-Cookie fields apart), then only the fields to drop or
 * set are touched. Measured in workerd, every change to a header set costs
 * far more than reading its names, so the few changes are all that is paid.
 */
import { isToken } from "../http-syntax";

// Hop-by-hop fields: meaningful for one connection only, never forwarded.
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Deletes from `out` (a copy of `source`) every hop-by-hop field of `source`
 * — the fixed list, and those its `Connection` names ("keep-alive" and
 * "close", the usual values, name nothing new) — and every one `drop` names.
 * Only the names present are touched: reading names is cheap in the runtime,
 * changing a header set is not.
 */
function dropNames(source: Headers, out: Headers, drop: (name: string) => boolean): void {
  let named: Set<string> | undefined;
  const connection = source.get("connection");
  if (connection !== null) {
    for (const token of connection.split(",")) {
      const name = token.trim().toLowerCase();
      if (name !== "" && name !== "close" && !HOP_BY_HOP.has(name)) (named ??= new Set()).add(name);
    }
  }
  for (const name of source.keys()) {
    if (HOP_BY_HOP.has(name) || named?.has(name) === true || drop(name)) out.delete(name);
  }
}

export interface ClientConnection {
  /** The client address as the platform saw it (`CF-Connecting-IP`), if known. */
  readonly ip: string | null;
  /** "http" or "https": how the client reached the gateway. */
  readonly proto: string;
  /** The Host the client asked for. */
  readonly host: string;
}

const VIA = "1.1 portcullis";

// The client's claims about its connection: only the platform knows it.
const CLIENT_CLAIMS: ReadonlySet<string> = new Set(["forwarded", "x-real-ip", "cf-connecting-ip", "host"]);

// Addressed to the gateway, not the origin. RFC 9110 §10.1.1: the runtime has
// already answered the client's `Expect: 100-continue` itself; forwarded, it
// would make the origin send an interim 100 that fetch hands back as if final.
const GATEWAY_ONLY: ReadonlySet<string> = new Set(["expect"]);

// Set by the gateway itself on every upstream request.
const GATEWAY_SET: ReadonlySet<string> = new Set(["x-request-id", "traceparent", "via"]);

/**
 * A client header the origin may read as one the gateway owns once "_" is read
 * as "-": CGI, PHP, WSGI and Rack expose both `X-Consumer-Id` and
 * `X_Consumer_Id` as HTTP_X_CONSUMER_ID (nginx drops such names by default for
 * this reason). `reserved` adds the configured identity and credential headers.
 */
function underscoreSpoof(name: string, reserved: ReadonlySet<string>): boolean {
  const folded = name.replaceAll("_", "-");
  return reserved.has(folded) || CLIENT_CLAIMS.has(folded) || GATEWAY_SET.has(folded) || HOP_BY_HOP.has(folded) || folded.startsWith("x-forwarded-");
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** What a route removes beyond hygiene (src/auth/forwarding.ts): lower-case names. */
export interface RemovedHeaders {
  /** Removed as they are: identity headers, and credential headers unless passed on. */
  readonly remove: ReadonlySet<string>;
  /** Removed when spelled with underscores: identity and credential headers. */
  readonly reserved: ReadonlySet<string>;
}

const NOTHING_REMOVED: RemovedHeaders = { remove: NO_NAMES, reserved: NO_NAMES };

/**
 * Request headers for the origin, in one pass over the client's. Client-sent
 * `Forwarded`, `X-Forwarded-*` and `X-Real-IP` are dropped, never appended
 * to: only the gateway knows the real connection, and a client must not be
 * able to claim an address. So is `route.remove`, and any underscore
 * spelling of a header the gateway sets or removes.
 */
export function upstreamRequestHeaders(inbound: Headers, client: ClientConnection, route: RemovedHeaders = NOTHING_REMOVED): Headers {
  const out = new Headers(inbound);
  // The platform's own view of the client is re-derived, not trusted from the request.
  dropNames(
    inbound,
    out,
    (name) =>
      CLIENT_CLAIMS.has(name) ||
      GATEWAY_ONLY.has(name) ||
      route.remove.has(name) ||
      name.startsWith("x-forwarded-") ||
      (name.includes("_") && underscoreSpoof(name, route.reserved)),
  );
  if (client.ip !== null) out.set("x-forwarded-for", client.ip);
  out.set("x-forwarded-proto", client.proto);
  out.set("x-forwarded-host", client.host);
  out.set("forwarded", forwardedValue(client));
  // RFC 9110 §7.6.3: each proxy appends itself to Via.
  const via = inbound.get("via");
  out.set("via", via === null ? VIA : `${via}, ${VIA}`);
  return out;
}

// The proto and host part of Forwarded, for the last host seen (a gateway serves few).
let forwardedTail = { proto: "", host: "", text: "" };

/** RFC 7239 §4: quoted where the value is not a token (IPv6 addresses, ports). */
function forwardedValue(client: ClientConnection): string {
  if (forwardedTail.proto !== client.proto || forwardedTail.host !== client.host) {
    forwardedTail = { proto: client.proto, host: client.host, text: `proto=${client.proto};host=${quoteIfNeeded(client.host)}` };
  }
  return client.ip === null ? forwardedTail.text : `for=${quoteNode(client.ip)};${forwardedTail.text}`;
}

function quoteNode(ip: string): string {
  return ip.includes(":") ? `"[${ip}]"` : ip;
}

function quoteIfNeeded(value: string): string {
  return isToken(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
}

const KEEP_ALL = (): boolean => false;

/**
 * The origin's answer for the client: status and headers copied once (by the
 * runtime), hop-by-hop fields stripped and Via appended; the body untouched.
 */
export function downstreamResponse(upstream: Response): Response {
  const out = new Response(upstream.body, upstream);
  dropNames(upstream.headers, out.headers, KEEP_ALL);
  const via = upstream.headers.get("via");
  out.headers.set("via", via === null ? VIA : `${via}, ${VIA}`);
  return out;
}
