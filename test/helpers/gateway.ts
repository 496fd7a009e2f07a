import { createExecutionContext, env as testEnv } from "cloudflare:test";
import { vi, type MockInstance } from "vitest";
import worker from "../../src/index";

export const ORIGIN = "https://origin.test";

/** A stand-in for the origin API: the gateway's outbound fetch is routed to `handler`. */
export interface MockOrigin {
  /** Every request the origin received, with the body already read. */
  readonly calls: { request: Request; body: Uint8Array }[];
  readonly spy: MockInstance<typeof fetch>;
}

export function mockOrigin(handler: (request: Request) => Response | Promise<Response>): MockOrigin {
  const calls: MockOrigin["calls"] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const signal = init?.signal ?? undefined;
    const aborted = new Promise<never>((_, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason));
    });
    const body = request.body === null ? new Uint8Array() : await Promise.race([request.bytes(), aborted]);
    calls.push({ request, body });
    return Promise.race([Promise.resolve(handler(request)), aborted]);
  });
  return { calls, spy };
}

export interface GatewayEnvVars {
  ORIGIN_URL?: unknown;
  PORTCULLIS?: unknown;
  /** Other bindings: secrets, KV namespaces. */
  [binding: string]: unknown;
}

/**
 * Sends one request through the Worker's default export (src/index.ts), as
 * the runtime would, with the given configuration.
 */
export async function send(path: string, init: RequestInit = {}, vars: GatewayEnvVars = {}): Promise<Response> {
  // The real RateLimiter Durable Object binding of wrangler.toml; a test may pass another.
  const env = { ORIGIN_URL: ORIGIN, PORTCULLIS: {}, RATE_LIMITER: testEnv.RATE_LIMITER, ...vars } as unknown as Env;
  const request = new Request(`https://gateway.test${path}`, init) as Request<unknown, IncomingRequestCfProperties>;
  // The execution context is not awaited: the log line of a streamed response
  // waits for its body, which the test reads after this returns.
  return worker.fetch(request, env, createExecutionContext());
}
