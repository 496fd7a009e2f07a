/**
 * Counts bytes as they stream, without buffering. Used to enforce the body
 * limit on requests that declare no length (chunked uploads).
 */

export class BodyLimitExceeded extends Error {
  constructor(readonly limit: number) {
    super(`request body passed ${limit} bytes`);
    this.name = "BodyLimitExceeded";
  }
}

export interface CountingStream {
  readonly stream: TransformStream<Uint8Array, Uint8Array>;
  /** Bytes seen so far. */
  count(): number;
}

/**
 * `limit`: the moment the count passes it, the stream errors with
 * BodyLimitExceeded and `onExceeded` runs (it aborts the upstream fetch), so the
 * origin never gets more than the limit plus the chunk in flight.
 */
export function countingStream(options: { limit: number; onExceeded: (error: BodyLimitExceeded) => void }): CountingStream {
  let seen = 0;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > options.limit) {
        const error = new BodyLimitExceeded(options.limit);
        controller.error(error);
        options.onExceeded(error);
        return;
      }
      controller.enqueue(chunk);
    },
  });
  return { stream, count: () => seen };
}
