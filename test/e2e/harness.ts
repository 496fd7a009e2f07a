import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inject } from "vitest";
// @ts-expect-error plain ESM script shared with the benchmarks
import { runGateway as run } from "../../scripts/run-gateway.mjs";

export interface RunningGateway {
  readonly url: string;
  dispose(): Promise<void>;
}

/** The real bundled gateway in workerd, in front of `originUrl`, with the given PORTCULLIS config. */
export async function startGateway(
  originUrl: string,
  portcullis: unknown,
  options: { bindings?: Record<string, unknown>; direct?: boolean; storage?: "disk" | "memory" } = {},
): Promise<RunningGateway> {
  const { url, dispose } = (await run({
    bundlePath: inject("bundlePath"),
    vars: { ORIGIN_URL: originUrl, PORTCULLIS: portcullis },
    bindings: options.bindings ?? {},
    direct: options.direct ?? false,
    storage: options.storage ?? "disk",
  })) as { url: URL; dispose: () => Promise<void> };
  return { url: url.origin, dispose };
}

export interface RunningOrigin {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** A real Node HTTP origin on 127.0.0.1. */
export async function startOrigin(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RunningOrigin> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
