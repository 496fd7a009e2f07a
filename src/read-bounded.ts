/**
 * Reading at most a number of bytes from a body, without buffering more: the
 * one bounded reader behind the JWKS fetch and origin error bodies.
 */

/** Chunks from any source: a stream reader, or a decompressor reading one. */
export interface Chunks {
  read(): Promise<{ done: true } | { done: false; value: Uint8Array }>;
}

/** Reads up to `limit` bytes; on a stream or decoding error keeps what was read before it. */
export async function readAtMost(chunks: Chunks, limit: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  try {
    for (let next = await chunks.read(); !next.done; next = await chunks.read()) {
      const room = limit - total;
      if (next.value.byteLength > room) {
        parts.push(next.value.subarray(0, room));
        total += room;
        truncated = true;
        break;
      }
      parts.push(next.value);
      total += next.value.byteLength;
    }
  } catch {
    // Corrupt compressed data or a peer that reset mid-body: what was read stands.
  }
  return { bytes: concat(parts, total), truncated };
}

/** A stream's reader as Chunks. */
export function streamChunks(reader: ReadableStreamDefaultReader<Uint8Array>): Chunks {
  return {
    async read() {
      const next = await reader.read();
      return next.done ? { done: true } : { done: false, value: asBytes(next.value) };
    },
  };
}

export function asBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError("body chunk is not bytes");
}

export function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
