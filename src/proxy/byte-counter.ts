/**
 * Counts a request body's bytes as it streams, without buffering it whole, to
 * enforce the body limit on requests that declare no length (chunked uploads).
 *
 * The chunks are read by hand and written into a native IdentityTransformStream
 * rather than piped through a JavaScript TransformStream:
 * - integrity: when the client's body fails (a malformed chunk, a client gone
 *   mid-upload), the failure is passed on as an abort of the upstream body, so
 *   the origin never sees a truncated body end cleanly;
 * - speed: reads go into buffers of our own (a BYOB reader) that collect at
 *   least MIN_READ_BYTES per read, so JavaScript handles a few large chunks
 *   instead of many small ones, and a few writes overlap. Memory held stays
 *   bounded by IN_FLIGHT × READ_BYTES.
 */

export class BodyLimitExceeded extends Error {
  constructor(readonly limit: number) {
    super(`request body passed ${limit} bytes`);
    this.name = "BodyLimitExceeded";
  }
}

export interface CountedBody {
  /** The body to send upstream. */
  readonly body: ReadableStream<Uint8Array>;
  /** Bytes seen so far. */
  count(): number;
}

const READ_BYTES = 256 * 1024;
const MIN_READ_BYTES = 64 * 1024;
const IN_FLIGHT = 4;

/** `read(view, { min })` (Streams spec, ReadableStreamBYOBReader): workerd has it; the typings lag behind. */
type ByobRead = (view: Uint8Array, options: { min: number }) => Promise<ReadableStreamReadResult<Uint8Array>>;

/**
 * The moment the count passes `limit`, the upstream body is aborted with
 * BodyLimitExceeded and `onFailure` runs (it aborts the upstream fetch): the
 * chunk that passes the limit is never sent, so the origin gets at most
 * `limit` bytes. `onFailure` runs too when the client's body itself fails.
 */
export function countedBody(source: ReadableStream<Uint8Array>, limit: number, onFailure: (reason: unknown) => void): CountedBody {
  const { readable, writable } = new IdentityTransformStream();
  const writer = writable.getWriter();
  const reader = chunkReader(source);
  let seen = 0;

  const fail = async (reason: unknown): Promise<void> => {
    onFailure(reason);
    // The client's body is cancelled without our reason: whoever feeds it (the
    // runtime, a dev proxy) would otherwise report the BodyLimitExceeded as an
    // uncaught error of its own; the client gets its 413 from us.
    await Promise.allSettled([writer.abort(reason), reader.cancel()]);
  };

  void (async () => {
    // A write settles once the upstream side has taken its chunk; a few overlap
    // so that each chunk does not cost a round trip.
    const inFlight: { written: Promise<void>; buffer: ArrayBuffer }[] = [];
    let spare: ArrayBuffer | undefined;
    try {
      for (;;) {
        const next = await reader.read(spare);
        spare = undefined;
        if (next.done) {
          await Promise.all(inFlight.map((w) => w.written));
          return await writer.close();
        }
        seen += next.value.byteLength;
        if (seen > limit) return await fail(new BodyLimitExceeded(limit));
        const written = writer.write(next.value);
        written.catch(() => undefined);
        inFlight.push({ written, buffer: next.value.buffer as ArrayBuffer });
        if (inFlight.length >= IN_FLIGHT) {
          // Once the upstream side has taken a chunk, its buffer is read into
          // again: a 1 GiB upload then allocates four buffers, not four thousand.
          const oldest = inFlight.shift();
          await oldest?.written;
          if (oldest !== undefined && oldest.buffer.byteLength === READ_BYTES) spare = oldest.buffer;
        }
      }
    } catch (error) {
      await fail(error);
    }
  })();

  return { body: readable, count: () => seen };
}

interface ChunkReader {
  /** `buffer`: memory to read into, when the reader can (BYOB). */
  read(buffer?: ArrayBuffer): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(): Promise<void>;
}

/** BYOB reads where the stream has them (a request body does), plain reads otherwise. */
function chunkReader(source: ReadableStream<Uint8Array>): ChunkReader {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = source.getReader({ mode: "byob" });
  } catch {
    const plain = source.getReader();
    return { read: () => plain.read(), cancel: () => plain.cancel() };
  }
  const read = byob.read.bind(byob) as ByobRead;
  return {
    read: (buffer) => read(new Uint8Array(buffer ?? new ArrayBuffer(READ_BYTES)), { min: MIN_READ_BYTES }),
    cancel: () => byob.cancel(),
  };
}
