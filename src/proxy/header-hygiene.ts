/**
 * Header hygiene for both directions of the proxy (RFC 9110 §7.6.1).
 * Pure functions that build new Headers; the inbound objects are never mutated.
 */

// Hop-by-hop fields: meaningful for one connection only, never forwarded.
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
] as const;

const FIXED_HOP_BY_HOP: ReadonlySet<string> = new Set(HOP_BY_HOP);

/** Every field the message says is hop-by-hop: the fixed list plus those `Connection` names. */
function hopByHopNames(headers: Headers): ReadonlySet<string> {
  const connection = headers.get("connection");
  if (connection === null) return FIXED_HOP_BY_HOP;
  let names: Set<string> | undefined;
  for (const token of connection.split(",")) {
    const name = token.trim().toLowerCase();
    // "keep-alive" and "close" (the usual values) name nothing new.
    if (name === "" || name === "close" || FIXED_HOP_BY_HOP.has(name)) continue;
    names ??= new Set<string>(HOP_BY_HOP);
    names.add(name);
  }
  return names ?? FIXED_HOP_BY_HOP;
}

export function withoutHopByHop(headers: Headers): Headers {
  return copyWithout(headers, hopByHopNames(headers));
}

/**
 * A copy without the dropped names. The copy is made natively (and keeps
 * repeated Set-Cookie fields apart); only the few names to drop are touched
 * from JavaScript, which costs far less per request than copying field by field.
 */
function copyWithout(headers: Headers, drop: ReadonlySet<string>, alsoDrop?: (name: string) => boolean): Headers {
  const out = new Headers(headers);
  for (const name of headers.keys()) {
    if (drop.has(name) || (alsoDrop !== undefined && alsoDrop(name))) out.delete(name);
  }
  return out;
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
  if (!name.includes("_")) return false;
  const folded = name.replaceAll("_", "-");
  return reserved.has(folded) || CLIENT_CLAIMS.has(folded) || GATEWAY_SET.has(folded) || FIXED_HOP_BY_HOP.has(folded) || folded.startsWith("x-forwarded-");
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
  // The platform's own view of the client is re-derived, not trusted from the request.
  const out = copyWithout(
    inbound,
    hopByHopNames(inbound),
    (name) => CLIENT_CLAIMS.has(name) || GATEWAY_ONLY.has(name) || route.remove.has(name) || name.startsWith("x-forwarded-") || underscoreSpoof(name, route.reserved),
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

/** RFC 7239 §4: quoted where the value is not a token (IPv6 addresses, ports). */
function forwardedValue(client: ClientConnection): string {
  const parts: string[] = [];
  if (client.ip !== null) parts.push(`for=${quoteNode(client.ip)}`);
  parts.push(`proto=${client.proto}`);
  parts.push(`host=${quoteIfNeeded(client.host)}`);
  return parts.join(";");
}

function quoteNode(ip: string): string {
  return ip.includes(":") ? `"[${ip}]"` : ip;
}

function quoteIfNeeded(value: string): string {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** Response headers for the client: hop-by-hop stripped, Via appended. */
export function downstreamResponseHeaders(upstream: Headers): Headers {
  const out = withoutHopByHop(upstream);
  const via = upstream.get("via");
  out.set("via", via === null ? VIA : `${via}, ${VIA}`);
  return out;
}
