/**
 * The proxy's second seam, the exchange: the upstream request sent under the
 * route's one deadline, through the Worker's fetch or a binding's, and the
 * response handed back once it is final. ORIGIN_URL is one attempt, as it
 * always was; a named upstream goes through its attempt plan
 * (src/upstreams/attempts.ts: failover, retry_on, breakers), every attempt
 * recorded in the request's log line. Every failure ends as one GatewayError
 * (upstream-failure.ts).
 */
import { describeError } from "../http-syntax";
import { asBytes, concat } from "../read-bounded";
import type { RequestRecord } from "../request/record";
import { Attempts, bodyReplay } from "../upstreams/attempts";
import type { UpstreamPlan } from "../upstreams/upstream";
import { countedBody, type CountedBody } from "./byte-counter";
import { targetUrl, type UpstreamRequest } from "./upstream-request";
import { UpstreamTimeout, allAttemptsSkipped, classifyFailure, missingBinding, nonFinalStatus } from "./upstream-failure";

/**
 * Cuts the exchange off for the first failure only (the deadline, or a body
 * past its limit), keeping that failure here rather than as the signal's
 * reason: workerd reports a subrequest aborted with a JavaScript error as its
 * reason as an uncaught exception, a console error for a correct 413. The
 * first failure is all the classification needs (upstream-failure.ts).
 */
class ExchangeAbort {
  readonly #controller = new AbortController();
  #reason: Error | undefined;

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The first failure, once there is one. */
  get reason(): Error | undefined {
    return this.#reason;
  }

  abort(reason: Error): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller.abort();
  }
}

/** `env[binding].fetch` or the Worker's own fetch: the same shape (Fetcher). */
type Send = (url: string, init: RequestInit) => Promise<Response>;

export interface ExchangeInput {
  readonly inbound: Request;
  readonly request: RequestRecord;
  readonly plan: UpstreamPlan;
  readonly outbound: UpstreamRequest;
  readonly maxBodyBytes: number;
  readonly env: object;
}

/** The upstream's final response (status 200-599), and the exchange's deadline for reading an error body. */
export async function exchange(input: ExchangeInput): Promise<{ response: Response; deadline: number }> {
  const { inbound, plan } = input;
  const send = sender(plan, input.env);
  const abort = new ExchangeAbort();
  const timeoutMs = plan.timeoutMs;
  // The deadline covers the whole exchange, every attempt: an error body is read until then at most.
  const deadline = Date.now() + timeoutMs;
  const timer = setTimeout(() => abort.abort(new UpstreamTimeout(timeoutMs)), timeoutMs);
  try {
    const response = plan.upstream.name === undefined ? await once(input, send, abort) : await withAttempts(input, send, abort);
    input.request.log.origin_status = response.status;
    if (response.status < 200 || response.status > 599) {
      await response.body?.cancel().catch(() => undefined);
      throw nonFinalStatus(response.status);
    }
    return { response, deadline };
  } finally {
    clearTimeout(timer);
  }
}

// Looked up when called, not when the module loads: tests route the global fetch.
const globalFetch: Send = (url, init) => fetch(url, init);

function sender(plan: UpstreamPlan, env: object): Send {
  const { transport } = plan.upstream;
  if (transport.kind === "fetch") return globalFetch;
  const binding: unknown = (env as Record<string, unknown>)[transport.binding];
  const fetcher = binding as { fetch?: unknown } | undefined;
  // Never a silent fallback to the public network: a missing binding is the operator's to fix.
  if (typeof fetcher?.fetch !== "function") throw missingBinding(plan.upstream.name ?? "", transport);
  const bound = binding as Fetcher;
  return (url, init) => bound.fetch(url, init);
}

function init(inbound: Request, headers: Headers, body: BodyInit | null, signal: AbortSignal): RequestInit {
  // Only the deadline's signal: when the client disconnects, Cloudflare
  // cancels the invocation's subrequests, this one included.
  return { method: inbound.method, headers, body, redirect: "manual", signal };
}

/** No declared length: count while streaming and cut the upload off the moment it passes the limit. */
function counted(input: ExchangeInput, abort: ExchangeAbort): CountedBody | undefined {
  const body = input.inbound.body;
  // A declared length was checked already and HTTP framing guarantees the body is no longer than it.
  if (body === null || input.inbound.headers.has("content-length")) return undefined;
  return countedBody(body, input.maxBodyBytes, (reason) => abort.abort(reason instanceof Error ? reason : new Error(String(reason))));
}

/** ORIGIN_URL: one attempt, the body streamed. */
async function once(input: ExchangeInput, send: Send, abort: ExchangeAbort): Promise<Response> {
  const { inbound, request, plan, outbound } = input;
  const counter = counted(input, abort);
  const url = targetUrl(plan.upstream.targets[0], plan, request, outbound.target);
  try {
    return await send(url, init(inbound, outbound.headers, counter?.body ?? inbound.body, abort.signal));
  } catch (error) {
    throw classifyFailure(abort.reason, error, input.maxBodyBytes);
  } finally {
    if (counter !== undefined) request.log.bytes_in = counter.count();
  }
}

/** A named upstream: its URLs in order, under the attempt plan's rules. */
async function withAttempts(input: ExchangeInput, send: Send, abort: ExchangeAbort): Promise<Response> {
  const { inbound, request, plan, outbound } = input;
  const { upstream } = plan;
  const replay = bodyReplay(inbound.body !== null, inbound.headers.get("content-length"), upstream.failover);
  const attempts = new Attempts(upstream, inbound.method, replay, plan.timeoutMs);
  const log = request.log;
  log.upstream = upstream.name;
  log.upstream_attempts = attempts.records;

  let counter: CountedBody | undefined;
  let body: BodyInit | null = inbound.body;
  if (replay === "buffered" && inbound.body !== null) {
    try {
      body = await buffered(inbound.body, abort);
    } catch (error) {
      throw classifyFailure(abort.reason, error, input.maxBodyBytes);
    }
  } else if (replay === "streamed") {
    counter = counted(input, abort);
    if (counter !== undefined) body = counter.body;
  }

  try {
    for (;;) {
      const target = attempts.next(Date.now());
      if (target === undefined) throw allAttemptsSkipped(upstream.name ?? "", attempts.retryAfterSeconds(Date.now()), attempts.made);
      let response: Response;
      try {
        response = await send(targetUrl(target, plan, request, outbound.target), init(inbound, outbound.headers, body, abort.signal));
      } catch (error) {
        const reason = abort.reason;
        const now = Date.now();
        if (reason instanceof UpstreamTimeout) attempts.timedOut(now);
        else if (abort.signal.aborted) attempts.abandoned(now);
        else {
          attempts.noResponse(describeError(error), now);
          if (attempts.mayRetryNoResponse(now)) continue;
        }
        throw classifyFailure(reason, error, input.maxBodyBytes);
      }
      const now = Date.now();
      attempts.answered(response.status, now);
      if (!attempts.mayRetryStatus(response.status, now)) return response;
      await response.body?.cancel().catch(() => undefined);
    }
  } finally {
    if (counter !== undefined) log.bytes_in = counter.count();
  }
}

/**
 * The whole body, read before the first attempt so that the next one can send
 * it again. Only for a declared length of at most MAX_REPLAY_BYTES (bodyReplay);
 * a client that stalls is cut off by the deadline like an origin that does.
 */
async function buffered(body: ReadableStream<Uint8Array>, abort: ExchangeAbort): Promise<Uint8Array> {
  const signal = abort.signal;
  const reader = body.getReader();
  const stop = (): void => void reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", stop);
  try {
    // Unlike readAtMost, a client's body that fails mid-way fails the request: it is never sent cut short.
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks.push(asBytes(next.value));
      size += next.value.byteLength;
    }
    if (signal.aborted) throw abort.reason ?? new Error("aborted");
    return concat(chunks, size);
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
