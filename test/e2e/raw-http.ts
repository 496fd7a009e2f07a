import { connect } from "node:net";

/**
 * HTTP/1.1 over a bare TCP socket, for requests no HTTP client would send
 * (conflicting framing, bare CR in a header, a request target that is not a
 * path). Reads responses back just well enough for assertions.
 */
export interface RawResponse {
  status: number;
  /** Lower-case names; repeated fields joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

export interface RawExchange {
  /** Every response parsed from what came back (more than one would mean a smuggled request was answered). */
  responses: RawResponse[];
  /** Everything the server sent, as latin1. */
  text: string;
  /** The server closed the connection before `waitMs`. */
  closed: boolean;
}

/**
 * Writes `bytes` to the host and port of `baseUrl`, then collects until the
 * server closes, or until a complete response is in and `lingerMs` more have
 * passed (to catch a second response, e.g. to a smuggled request), or `waitMs`.
 */
export function rawExchange(
  baseUrl: string,
  bytes: string | Buffer,
  options: { waitMs?: number; lingerMs?: number } = {},
): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let closed = false;
    let settled = false;
    let lingering: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(lingering);
      socket.destroy();
      const text = received.toString("latin1");
      resolve({ responses: parseResponses(text), text, closed });
    };
    const timer = setTimeout(finish, options.waitMs ?? 3000);
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (lingering === undefined && parseResponses(received.toString("latin1")).length > 0) {
        lingering = setTimeout(finish, options.lingerMs ?? 0);
      }
    });
    socket.on("close", () => {
      closed = true;
      finish();
    });
    socket.on("error", () => {});
    socket.write(bytes);
  });
}

/** Parses consecutive responses; stops at the first incomplete one. */
export function parseResponses(text: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = text;
  for (;;) {
    const headEnd = rest.indexOf("\r\n\r\n");
    if (headEnd === -1) return out;
    const [statusLine = "", ...fieldLines] = rest.slice(0, headEnd).split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
    if (Number.isNaN(status)) return out;
    const headers: Record<string, string> = {};
    for (const line of fieldLines) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    let body = rest.slice(headEnd + 4);
    let after = "";
    if (headers["content-length"] !== undefined) {
      const length = Number(headers["content-length"]);
      if (body.length < length) return out;
      after = body.slice(length);
      body = body.slice(0, length);
    } else if (headers["transfer-encoding"]?.includes("chunked")) {
      let decoded = "";
      let at = 0;
      for (;;) {
        const lineEnd = body.indexOf("\r\n", at);
        if (lineEnd === -1) return out;
        const size = parseInt(body.slice(at, lineEnd), 16);
        if (Number.isNaN(size)) return out;
        if (size === 0) {
          const end = body.indexOf("\r\n", lineEnd + 2);
          if (end === -1) return out;
          after = body.slice(end + 2);
          break;
        }
        if (body.length < lineEnd + 2 + size + 2) return out;
        decoded += body.slice(lineEnd + 2, lineEnd + 2 + size);
        at = lineEnd + 2 + size + 2;
      }
      body = decoded;
    }
    out.push({ status, headers, body });
    rest = after;
  }
}
