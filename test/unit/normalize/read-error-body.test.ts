// readErrorBody: decoded as declared, bounded in decoded bytes, never thrown over.
import { describe, expect, it } from "vitest";
import { readErrorBody } from "../../../src/normalize/read-error-body";

const encoder = new TextEncoder();

function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function compress(format: "gzip" | "deflate" | "deflate-raw", data: Uint8Array): Promise<Uint8Array> {
  return bytesOf(streamOf(data).pipeThrough(new CompressionStream(format)));
}

/** A source of `total` bytes in 64 KiB chunks that records how far it was read and whether it was cancelled. */
function countingSource(total: number, fill = 0x61): { stream: ReadableStream<Uint8Array>; pulls: () => number; cancelled: () => boolean } {
  let pulls = 0;
  let sent = 0;
  let cancelled = false;
  const chunk = new Uint8Array(64 * 1024).fill(fill);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulls += 1;
        if (sent >= total) return controller.close();
        controller.enqueue(chunk.slice(0, Math.min(chunk.length, total - sent)));
        sent += chunk.length;
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulls: () => pulls, cancelled: () => cancelled };
}

/** `bytes` served 1 KiB per pull, counting what was handed out. */
function feeding(bytes: Uint8Array): { stream: ReadableStream<Uint8Array>; fed: () => number; cancelled: () => boolean } {
  let fed = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (fed >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(fed, fed + 1024));
        fed += 1024;
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, fed: () => fed, cancelled: () => cancelled };
}

const json = `{"error":{"status":409,"message":"This email is already in use, please try another one.","code":"EmailAlreadyExists"}}`;

describe("Content-Encoding", () => {
  it.each(["gzip", "x-gzip", "deflate"] as const)("%s is decoded", async (coding) => {
    const format = coding === "x-gzip" ? "gzip" : coding;
    const body = streamOf(await compress(format, encoder.encode(json)));
    expect(await readErrorBody(body, new Headers({ "content-encoding": coding }), 65536)).toEqual({ text: json, truncated: false });
  });

  it("raw deflate sent as \"deflate\" is decoded too", async () => {
    const body = streamOf(await compress("deflate-raw", encoder.encode(json)));
    expect(await readErrorBody(body, new Headers({ "content-encoding": "deflate" }), 65536)).toEqual({ text: json, truncated: false });
  });

  it("stacked codings are undone in reverse order (RFC 9110 §8.4)", async () => {
    const twice = await compress("gzip", await compress("deflate", encoder.encode(json)));
    expect(await readErrorBody(streamOf(twice), new Headers({ "content-encoding": "deflate, gzip" }), 65536)).toEqual({ text: json, truncated: false });
  });

  it("a body the runtime already decoded is read as is, whatever the header says", async () => {
    for (const coding of ["gzip", "deflate", "br"]) {
      const result = await readErrorBody(streamOf(encoder.encode(json)), new Headers({ "content-encoding": coding }), 65536);
      expect(result).toEqual({ text: json, truncated: false });
    }
  });

  it("br is decoded where DecompressionStream supports it, else reported undecodable", async () => {
    // brotli('{"message":"Brotli-encoded error body"}'), made with Node's zlib.
    const br = new Uint8Array([11, 19, 128, 123, 34, 109, 101, 115, 115, 97, 103, 101, 34, 58, 34, 66, 114, 111, 116, 108, 105, 45, 101, 110, 99, 111, 100, 101, 100, 32, 101, 114, 114, 111, 114, 32, 98, 111, 100, 121, 34, 125, 3]);
    const supported = ["brotli", "br"].some((name) => {
      try {
        new DecompressionStream(name as "gzip");
        return true;
      } catch {
        return false;
      }
    });
    const result = await readErrorBody(streamOf(br), new Headers({ "content-encoding": "br" }), 65536);
    expect(result).toEqual(
      supported
        ? { text: `{"message":"Brotli-encoded error body"}`, truncated: false }
        : { text: "", truncated: false, undecodable: "br" },
    );
  });

  it("an unknown coding is not guessed at: empty text, the coding named, the body cancelled", async () => {
    const source = countingSource(1024 * 1024);
    const result = await readErrorBody(source.stream, new Headers({ "content-encoding": "zstd" }), 65536);
    expect(result).toEqual({ text: "", truncated: false, undecodable: "zstd" });
    await Promise.resolve();
    expect(source.cancelled()).toBe(true);
    expect(source.pulls()).toBeLessThanOrEqual(1);
  });

  it("corrupt gzip does not throw", async () => {
    const corrupt = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await readErrorBody(streamOf(corrupt), new Headers({ "content-encoding": "gzip" }), 65536)).toEqual({ text: "", truncated: false });
  });

  it("gzip cut short yields what was decoded before the cut", async () => {
    const text = "All work and no play makes Jack a dull boy. ".repeat(2000);
    const gz = await compress("gzip", encoder.encode(text));
    const result = await readErrorBody(streamOf(gz.slice(0, gz.length - 40)), new Headers({ "content-encoding": "gzip" }), 1 << 20);
    expect(result.truncated).toBe(false);
    expect(text.startsWith(result.text)).toBe(true);
  });
});

describe("charset", () => {
  const cafe = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
  it.each(["ISO-8859-1", "latin1", "windows-1252", '"iso-8859-1"'])("café in %s", async (charset) => {
    const headers = new Headers({ "content-type": `text/plain; charset=${charset}` });
    expect((await readErrorBody(streamOf(cafe), headers, 100)).text).toBe("café");
  });

  it("windows-1252's own characters (0x80 is the euro sign)", async () => {
    const headers = new Headers({ "content-type": "text/plain; charset=windows-1252" });
    expect((await readErrorBody(streamOf(new Uint8Array([0x80, 0x35])), headers, 100)).text).toBe("€5");
  });

  it("utf-8 by default; an unknown charset reads as utf-8 with replacement characters", async () => {
    expect((await readErrorBody(streamOf(encoder.encode("café")), new Headers(), 100)).text).toBe("café");
    const headers = new Headers({ "content-type": "text/plain; charset=x-klingon" });
    expect((await readErrorBody(streamOf(cafe), headers, 100)).text).toBe("caf\uFFFD");
  });

  it("a UTF-16 byte order mark wins over the label", async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x6f, 0x00, 0x6b, 0x00]);
    const headers = new Headers({ "content-type": "application/json; charset=utf-8" });
    expect((await readErrorBody(streamOf(utf16), headers, 100)).text).toBe("ok");
  });
});

describe("the byte bound", () => {
  it("a 10 MiB body: reads max_body_bytes, then cancels the source", async () => {
    const source = countingSource(10 * 1024 * 1024);
    const result = await readErrorBody(source.stream, new Headers({ "content-type": "text/plain" }), 65536);
    expect(result.truncated).toBe(true);
    expect(result.text).toBe("a".repeat(65536));
    await Promise.resolve();
    expect(source.cancelled()).toBe(true);
    expect(source.pulls()).toBeLessThanOrEqual(3);
  });

  it("a gzip bomb: the bound counts decoded bytes, and little of the input is read", async () => {
    const bomb = await compress("gzip", new Uint8Array(16 * 1024 * 1024).fill(0x61));
    const source = feeding(bomb);
    const result = await readErrorBody(source.stream, new Headers({ "content-encoding": "gzip" }), 65536);
    expect(result).toEqual({ text: "a".repeat(65536), truncated: true });
    expect(source.fed()).toBeLessThanOrEqual(4 * 1024);
    await Promise.resolve();
    expect(source.cancelled()).toBe(true);
  });

  it("a large compressed body is not drained: reading stops near the bound", async () => {
    const noise = new Uint8Array(4 * 1024 * 1024);
    for (let at = 0; at < noise.length; at += 65536) crypto.getRandomValues(noise.subarray(at, at + 65536));
    const gz = await compress("gzip", noise.map((b) => 0x61 + (b % 26)));
    expect(gz.length).toBeGreaterThan(2 * 1024 * 1024);
    const source = feeding(gz);
    const result = await readErrorBody(source.stream, new Headers({ "content-encoding": "gzip" }), 65536);
    expect(result.truncated).toBe(true);
    expect(result.text).toHaveLength(65536);
    expect(source.fed()).toBeLessThanOrEqual(64 * 1024);
    await Promise.resolve();
    expect(source.cancelled()).toBe(true);
  });

  it("a body of exactly max_body_bytes is not truncated", async () => {
    expect(await readErrorBody(streamOf(encoder.encode("x".repeat(100))), new Headers(), 100)).toEqual({ text: "x".repeat(100), truncated: false });
  });

  it("a character cut by the bound is dropped, not turned into U+FFFD", async () => {
    const result = await readErrorBody(streamOf(encoder.encode("abcé")), new Headers(), 4);
    expect(result).toEqual({ text: "abc", truncated: true });
  });
});

describe("never throws", () => {
  it("no body", async () => {
    expect(await readErrorBody(null, new Headers(), 100)).toEqual({ text: "", truncated: false });
  });

  it("a source that fails mid-body keeps what came before", async () => {
    let step = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        step += 1;
        if (step === 1) controller.enqueue(encoder.encode("partial "));
        else controller.error(new Error("connection reset"));
      },
    }, { highWaterMark: 0 });
    expect(await readErrorBody(stream, new Headers(), 100)).toEqual({ text: "partial ", truncated: false });
  });

  it("a stream that is already locked", async () => {
    const stream = streamOf(encoder.encode("x"));
    stream.getReader();
    expect(await readErrorBody(stream, new Headers(), 100)).toEqual({ text: "", truncated: false });
  });
});
