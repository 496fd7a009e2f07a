/**
 * Content codings of origin error bodies (RFC 9110 §8.4): which decoders a
 * body needs, judged from the header *and* the bytes, and a decompressor that
 * cannot be made to inflate more than it is asked for.
 */

export type Format = ConstructorParameters<typeof DecompressionStream>[0];

/** Just what a reading loop needs of a reader. */
export interface Chunks {
  read(): Promise<{ done: true } | { done: false; value: Uint8Array }>;
}

/**
 * The compressed input handed to a decompressor at a time. Deflate expands at
 * most ~1032:1, so even a decompressor that inflated a whole slice at once
 * would hold ~1 MiB, whatever max_body_bytes is.
 */
const SLICE_BYTES = 1024;

/**
 * RFC 9110 §8.4: codings are listed in the order they were applied, so they
 * are undone in reverse. Returns the coding names, or the header itself when
 * it names a coding this reader does not know.
 */
export function contentCodings(header: string | null): string[] | string {
  if (header === null) return [];
  const codings: string[] = [];
  for (const raw of header.split(",")) {
    const coding = raw.trim().toLowerCase();
    if (coding === "" || coding === "identity") continue;
    if (coding === "gzip" || coding === "x-gzip") codings.push("gzip");
    else if (coding === "deflate" || coding === "br") codings.push(coding);
    else return header.trim();
  }
  return codings;
}

/**
 * Decoders for the codings, outermost first, checked against the bytes:
 * workerd's fetch() decodes gzip and brotli bodies itself and keeps the
 * Content-Encoding header, so a body that is already text is read as is.
 * "deflate" is zlib (RFC 9110 §8.4.1.2), but some servers send raw deflate.
 * Returns the coding that cannot be undone when there is one.
 */
export function decodingPlan(codings: readonly string[], head: Uint8Array): Format[] | string {
  const [outer, ...inner] = [...codings].reverse();
  if (outer === undefined) return [];
  const formats: Format[] = [];
  for (const coding of inner) {
    const format = coding === "br" ? brotliFormat() : coding === "gzip" ? "gzip" : "deflate";
    if (format === undefined) return coding;
    formats.push(format);
  }
  if (outer === "gzip") {
    if (head[0] !== 0x1f || head[1] !== 0x8b) return looksLikeText(head) ? [] : "gzip";
    return ["gzip", ...formats];
  }
  if (outer === "deflate") {
    const zlib = head.length >= 2 && ((head[0] ?? 0) & 0x0f) === 8 && (((head[0] ?? 0) << 8) | (head[1] ?? 0)) % 31 === 0;
    if (zlib) return ["deflate", ...formats];
    return looksLikeText(head) ? [] : ["deflate-raw", ...formats];
  }
  // Brotli has no magic number: only "not text" says it is still compressed.
  if (looksLikeText(head)) return [];
  const format = brotliFormat();
  return format === undefined ? "br" : [format, ...formats];
}

/** No C0 controls other than whitespace and ESC: compressed data has them within a few bytes. */
function looksLikeText(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b) || b === 0x7f) return false;
  }
  return true;
}

let brotli: Format | null | undefined;

/**
 * Brotli ("br", RFC 7932) where the runtime's DecompressionStream has it,
 * under the Compression Streams name "brotli" or "br"; workerd's has neither yet.
 */
function brotliFormat(): Format | undefined {
  if (brotli === undefined) {
    brotli = null;
    for (const name of ["brotli", "br"]) {
      try {
        new DecompressionStream(name as Format);
        brotli = name as Format;
        break;
      } catch {
        // not under this name
      }
    }
  }
  return brotli ?? undefined;
}

const IDLE = Symbol("idle");

/** Settles after the current macrotask: by then a decompressor that had output has delivered it. */
function idle(): Promise<typeof IDLE> {
  return new Promise((resolve) => setTimeout(() => resolve(IDLE), 0));
}

/**
 * One decompression layer, fed by hand. workerd's DecompressionStream applies
 * no backpressure to its input: every write is accepted and inflated into an
 * unbounded output queue, so piping a bomb into it fills memory whatever is
 * read. Here a slice of input is written only once the output queue is empty
 * and the reader is waiting, which holds the queue to one slice's worth.
 */
export function decompress(input: Chunks, format: Format): { chunks: Chunks; stop: () => void } {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  const output = stream.readable.getReader();
  let pending: Uint8Array = new Uint8Array(0);
  let inputDone = false;

  /** Writes the next slice; false once the input is used up (the writer is closed then). */
  const feed = async (): Promise<boolean> => {
    while (pending.byteLength === 0) {
      if (inputDone) return false;
      let next: Awaited<ReturnType<Chunks["read"]>>;
      try {
        next = await input.read();
      } catch (error) {
        inputDone = true;
        await writer.abort(error).catch(() => undefined);
        return false;
      }
      if (next.done) {
        inputDone = true;
        // Closing flushes the tail; for truncated input the reader sees the error.
        await writer.close().catch(() => undefined);
        return false;
      }
      pending = next.value;
    }
    const slice = pending.subarray(0, SLICE_BYTES);
    pending = pending.subarray(SLICE_BYTES);
    await writer.write(slice);
    return true;
  };

  let started = false;
  return {
    chunks: {
      async read() {
        // The read is pending before anything is written, so a decompressor
        // that does apply backpressure always has a reader to deliver to.
        const next = output.read();
        // Corrupt input rejects this read while feed() is still writing: mark it
        // handled now; it is awaited (and its error surfaces) below.
        next.catch(() => undefined);
        if (!started) {
          started = true;
          await feed();
        }
        for (;;) {
          const settled = await Promise.race([next, idle()]);
          if (settled !== IDLE) return settled.done ? { done: true } : { done: false, value: settled.value };
          if (!(await feed())) break;
        }
        const last = await next;
        return last.done ? { done: true } : { done: false, value: last.value };
      },
    },
    stop() {
      output.cancel().catch(() => undefined);
      writer.abort().catch(() => undefined);
    },
  };
}

