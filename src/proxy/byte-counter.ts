/**
 * Counts a request body's bytes as it streams, without buffering, to enforce
 * the body limit on requests that declare no length (chunked uploads).
 *
 * The chunks are read by hand and written into a native IdentityTransformStream
 * rather than piped through a JavaScript TransformStream, for two reasons:
 * - integrity: when the client's body fails (a malformed chunk, a client gone
 *   mid-upload), the failure is passed on as an abort of the upstream body, so
 *   the origin never sees a truncated body end cleanly;
 * - speed: the upstream side stays a native stream.
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

/**
 * The moment the count passes `limit`, the upstream body is aborted with
 * BodyLimitExceeded and `onFailure` runs (it aborts the upstream fetch), so the
 * origin never gets more than the limit plus the chunk in flight. `onFailure`
 * runs too when the client's body itself fails.
 */
export function countedBody(source: ReadableStream<Uint8Array>, limit: number, onFailure: (reason: unknown) => void): CountedBody {
  const { readable, writable } = new IdentityTransformStream();
  const writer = writable.getWriter();
  const reader = source.getReader();
  let seen = 0;

  const fail = async (reason: unknown): Promise<void> => {
    onFailure(reason);
    await Promise.allSettled([writer.abort(reason), reader.cancel(reason)]);
  };

  void (async () => {
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) return await writer.close();
        seen += next.value.byteLength;
        if (seen > limit) return await fail(new BodyLimitExceeded(limit));
        await writer.write(next.value);
      }
    } catch (error) {
      await fail(error);
    }
  })();

  return { body: readable, count: () => seen };
}
