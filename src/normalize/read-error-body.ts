/**
 * Reads an origin's error body for normalization: decoded as the origin
 * declared it, bounded, and never thrown over.
 *
 * The bound counts *decoded* bytes, so a small gzip bomb cannot inflate past
 * it, and the rest of the body is cancelled rather than drained: a 10 MiB
 * error page costs max_body_bytes of memory and no more of the origin's time.
 *
 * Reading is bounded in time too: at `deadline` (the route's deadline for the
 * whole exchange with the origin) the origin's stream is cancelled, which ends
 * the pending read, and what arrived before is normalized. An origin that
 * sends its error headers and then stalls cannot hold the client.
 */
import { asBytes, concat, readAtMost, streamChunks, type Chunks } from "../read-bounded";
import { contentCodings, decodingPlan, decompress } from "./content-coding";
import { readContentType } from "./media-type";

export interface ErrorBody {
  text: string;
  /** More body followed what was read. */
  truncated: boolean;
  /** The Content-Encoding that could not be decoded, when that is why `text` is empty. */
  undecodable?: string;
  /** The deadline passed before the body ended: `text` is what arrived until then. */
  timedOut?: true;
}

const UTF8 = new TextDecoder("utf-8");

/** Enough bytes to tell compressed data from text. */
const SNIFF_BYTES = 64;

export async function readErrorBody(
  body: ReadableStream<Uint8Array> | null,
  headers: Headers,
  maxBytes: number,
  deadline: number = Number.POSITIVE_INFINITY,
): Promise<ErrorBody> {
  if (body === null) return { text: "", truncated: false };
  const limit = Number.isFinite(maxBytes) && maxBytes > 0 ? Math.floor(maxBytes) : 0;
  let source: ReadableStreamDefaultReader<Uint8Array>;
  try {
    source = body.getReader();
  } catch {
    return { text: "", truncated: false }; // locked or already read: nothing to normalize
  }
  const stops: (() => void)[] = [];
  let timedOut = false;
  const remaining = deadline - Date.now();
  const timer = Number.isFinite(remaining)
    ? setTimeout(() => {
        timedOut = true;
        // Cancelling ends the pending read with `done`, so the reads below stop where they are.
        source.cancel(new Error("deadline passed while reading the error body")).catch(() => undefined);
      }, Math.max(0, remaining))
    : undefined;
  const stamp = (result: ErrorBody): ErrorBody => (timedOut ? { ...result, truncated: true, timedOut: true } : result);
  let ended = false;
  try {
    const codings = contentCodings(headers.get("content-encoding"));
    if (typeof codings === "string") return { text: "", truncated: false, undecodable: codings };
    if (codings.length === 0) {
      // No coding declared (most error bodies): nothing to sniff, read the body as it comes.
      const { bytes, truncated } = await readAtMost(streamChunks(source), limit);
      ended = !truncated && !timedOut;
      return stamp({ text: decodeText(bytes, headers.get("content-type"), truncated || timedOut), truncated });
    }
    const head = await readPrefix(source, SNIFF_BYTES);
    const formats = decodingPlan(codings, head.bytes);
    if (typeof formats === "string") return { text: "", truncated: false, undecodable: formats };
    let chunks = prefixed(head.bytes, head.done ? undefined : streamChunks(source));
    for (const format of formats) {
      const layer = decompress(chunks, format);
      stops.push(layer.stop);
      chunks = layer.chunks;
    }
    const { bytes, truncated } = await readAtMost(chunks, limit);
    return stamp({ text: decodeText(bytes, headers.get("content-type"), truncated || timedOut), truncated });
  } catch {
    return stamp({ text: "", truncated: false });
  } finally {
    clearTimeout(timer);
    for (const stop of stops) stop();
    // Unless it was read to its end, the origin's stream is released.
    if (!ended) source.cancel().catch(() => undefined);
  }
}

/** The first `want` bytes (fewer if the body ends or fails first). */
async function readPrefix(reader: ReadableStreamDefaultReader<Uint8Array>, want: number): Promise<{ bytes: Uint8Array; done: boolean }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  try {
    while (total < want) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        break;
      }
      const bytes = asBytes(next.value);
      chunks.push(bytes);
      total += bytes.byteLength;
    }
  } catch {
    done = true; // the origin failed mid-body: what came before still counts
  }
  return { bytes: concat(chunks, total), done };
}

/** The sniffed prefix, then the rest of the source. */
function prefixed(prefix: Uint8Array, rest: Chunks | undefined): Chunks {
  let pending: Uint8Array | undefined = prefix.byteLength > 0 ? prefix : undefined;
  return {
    async read() {
      if (pending !== undefined) {
        const value = pending;
        pending = undefined;
        return { done: false, value };
      }
      return rest === undefined ? { done: true } : rest.read();
    },
  };
}

/**
 * The charset of Content-Type (utf-8 by default, RFC 8259 §8.1 for JSON);
 * WHATWG Encoding maps ISO-8859-1 and latin1 to windows-1252, as browsers do.
 * An unknown charset reads as utf-8 with replacement characters.
 */
function decodeText(bytes: Uint8Array, contentType: string | null, truncated: boolean): string {
  let label = readContentType(contentType).charset ?? "utf-8";
  // WHATWG Encoding §6 "decode": a byte order mark overrides the label.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) label = "utf-8";
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = "utf-16le";
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = "utf-16be";
  // The decoder of a whole body keeps no state between calls: utf-8's is made once.
  if (!truncated && (label === "utf-8" || label === "utf8")) return UTF8.decode(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  return decoder.decode(bytes, { stream: truncated });
}
