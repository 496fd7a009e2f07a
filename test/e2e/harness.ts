import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inject } from "vitest";
// @ts-expect-error plain ESM script shared with the benchmarks
import { runGateway as run } from "../../scripts/run-gateway.mjs";

export interface RunningGateway {
  readonly url: string;
  dispose(): Promise<void>;
}

/** Another Worker in the gateway's workerd (Miniflare worker options), e.g. one bound to it as a service. */
export interface ExtraWorker {
  readonly name: string;
  readonly script?: string;
  readonly scriptPath?: string;
  readonly [option: string]: unknown;
}

export interface GatewayOptions {
  /** Opens workerd\'s DevTools inspector on this port (to watch for uncaught exceptions). */
  readonly inspectorPort?: number;
  bindings?: Record<string, unknown>;
  direct?: boolean;
  storage?: "disk" | "memory";
  /** Workers started beside the gateway. */
  workers?: readonly ExtraWorker[];
  /** Binding name → one of `workers` by name, as `[[services]]` in wrangler.toml. */
  serviceBindings?: Record<string, string>;
}

/** The real bundled gateway in workerd, in front of `originUrl`, with the given PORTCULLIS config. */
export async function startGateway(originUrl: string | undefined, portcullis: unknown, options: GatewayOptions = {}): Promise<RunningGateway> {
  const { url, dispose } = (await run({
    bundlePath: inject("bundlePath"),
    vars: { ...(originUrl === undefined ? {} : { ORIGIN_URL: originUrl }), PORTCULLIS: portcullis },
    bindings: options.bindings ?? {},
    workers: options.workers ?? [],
    serviceBindings: options.serviceBindings ?? {},
    direct: options.direct ?? false,
    storage: options.storage ?? "disk",
    inspectorPort: options.inspectorPort,
  })) as { url: URL; dispose: () => Promise<void> };
  return { url: url.origin, dispose };
}

export interface RunningOrigin {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** A real Node HTTP origin on 127.0.0.1 (on `port`, e.g. one it had before, or any free one). */
export async function startOrigin(handler: (req: IncomingMessage, res: ServerResponse) => void, port = 0): Promise<RunningOrigin> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
