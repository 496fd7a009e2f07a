/** Stand-ins at the gateway's edges for the upstream tests: bindings of the Fetcher shape, the log lines. */
import type { MockInstance } from "vitest";

/** What the runtime's fetch throws when nothing listens (workerd's own words). */
export function refused(): never {
  throw new Error("Network connection lost.");
}

export interface Binding {
  /** What to put in env: an object with fetch(input, init), as a service or mTLS certificate binding is. */
  readonly binding: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> };
  readonly calls: { request: Request; body: string }[];
}

export function fetchBinding(handler: (request: Request) => Response | Promise<Response>): Binding {
  const calls: Binding["calls"] = [];
  return {
    calls,
    binding: {
      async fetch(input, init) {
        const request = new Request(input, init);
        calls.push({ request, body: request.body === null ? "" : await request.clone().text() });
        return handler(request);
      },
    },
  };
}

/** The request log lines written while `spy` (on console.log) was installed. */
export function logLines(spy: MockInstance<typeof console.log>): Record<string, unknown>[] {
  return spy.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);
}
