/**
 * An upstream compiled once per isolate: its transport, its targets with every
 * string a request needs prebuilt, its retry and breaker rules. Routes share
 * it; what differs per route (strip_prefix, preserve_host, the deadline, what
 * the origin learns of the caller) is in the route's UpstreamPlan.
 */
import type { ForwardingPlan } from "../auth/forwarding";
import type { BreakerSettings, Origin, Transport, UpstreamSettings } from "./config";

export interface UpstreamTarget {
  /** Scheme, host, port and base path: the (stripped) target is appended to it. Undefined: the client's own origin (a service without url). */
  readonly base: string | undefined;
  /** The base URL's parts, for a Host of the client's own. */
  readonly protocol: string | undefined;
  readonly path: string;
  /** The Host a service binding's Worker is sent (a URL upstream's Host is the runtime's: the URL's). */
  readonly host: string | undefined;
  /** The isolate's breaker state for this URL (breaker.ts). */
  readonly breakerKey: string;
  /** How the log line names it. */
  readonly label: string;
}

export interface Upstream {
  /** Its name in config and logs; undefined for ORIGIN_URL, which adds nothing to the log line. */
  readonly name: string | undefined;
  readonly transport: Transport;
  /** In failover order; at least one. */
  readonly targets: readonly [UpstreamTarget, ...UpstreamTarget[]];
  readonly retryOn: ReadonlySet<number>;
  readonly breaker: BreakerSettings | undefined;
  /** Several targets: a request may be tried on the next one, so a small body is buffered for it. */
  readonly failover: boolean;
}

/** What a route sends to its upstream, and how. */
export interface UpstreamPlan {
  readonly upstream: Upstream;
  /** The route's deadline for the whole exchange, every attempt included. */
  readonly timeoutMs: number;
  /** What the origin receives of the identity and the credential. */
  readonly forwarding: ForwardingPlan;
  /** Leading path segments taken off the target (strip_prefix). */
  readonly stripSegments: number;
  /** A service's Worker sees the client's host rather than its url's. */
  readonly preserveHost: boolean;
}

const FETCH: Transport = { kind: "fetch" };

/** ORIGIN_URL as an upstream: one target, no breaker, no retries: the proxy exactly as it has always been. */
export function defaultUpstream(origin: Origin): Upstream {
  return { name: undefined, transport: FETCH, targets: [target(origin, "origin", false)], retryOn: new Set(), breaker: undefined, failover: false };
}

export function compileUpstream(settings: UpstreamSettings): Upstream {
  const service = settings.transport.kind === "service";
  const [first, ...rest] = settings.urls.map((url) => target(url, settings.name, service));
  // A service without url: its Worker sees the client's URL, as if it were called directly.
  const targets: Upstream["targets"] = first === undefined ? [clientOrigin(settings.name, settings.transport)] : [first, ...rest];
  return {
    name: settings.name,
    transport: settings.transport,
    targets,
    retryOn: new Set(settings.retryOn),
    breaker: settings.breaker,
    failover: targets.length > 1,
  };
}

function target(url: Origin, upstream: string, service: boolean): UpstreamTarget {
  return {
    base: url.base,
    protocol: url.protocol,
    path: url.path,
    host: service ? url.host : undefined,
    breakerKey: `${upstream}\n${url.base}`,
    label: url.base,
  };
}

function clientOrigin(upstream: string, transport: Transport): UpstreamTarget {
  const binding = transport.kind === "fetch" ? "fetch" : transport.binding;
  return { base: undefined, protocol: undefined, path: "", host: undefined, breakerKey: `${upstream}\n`, label: `service:${binding}` };
}

/**
 * The target with its first `count` segments taken off, the rest byte for
 * byte: `/billing/invoices?x=1` → `/invoices?x=1`, `/billing` → `/`. Runs of
 * "/" count as one separator, as routing reads them (canonical-path.ts), so
 * the segments taken are the ones the route's pattern matched.
 */
export function stripSegments(target: string, count: number): string {
  let i = 0;
  for (let n = 0; n < count; n++) {
    while (target.charCodeAt(i) === SLASH) i++;
    while (i < target.length && target.charCodeAt(i) !== SLASH && target.charCodeAt(i) !== QUESTION) i++;
  }
  if (i === target.length) return "/";
  return target.charCodeAt(i) === QUESTION ? `/${target.slice(i)}` : target.slice(i);
}

const SLASH = 0x2f;
const QUESTION = 0x3f;
