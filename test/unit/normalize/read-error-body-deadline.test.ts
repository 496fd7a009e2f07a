// Reading an origin's error body is bounded in time: at the deadline the
// stream is cancelled and what arrived until then is kept.
import { describe, expect, it } from "vitest";
import { readErrorBody } from "../../../src/normalize/read-error-body";

/** A body that sends `text` and then never ends; notes when it is cancelled. */
function stalling(text: string): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

describe("error body deadline", () => {
  it("keeps what arrived before the deadline and cancels the rest", async () => {
    const { body, cancelled } = stalling('{"message": "Name is taken.", "code": "Taken"');
    const started = Date.now();
    const result = await readErrorBody(body, new Headers({ "content-type": "application/json" }), 65_536, Date.now() + 50);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result).toEqual({ text: '{"message": "Name is taken.", "code": "Taken"', truncated: true, timedOut: true });
    expect(cancelled()).toBe(true);
  });

  it("gives up at once when the deadline has already passed", async () => {
    const { body } = stalling("Not allowed.");
    const result = await readErrorBody(body, new Headers(), 65_536, Date.now() - 1);
    expect(result.timedOut).toBe(true);
  });

  it("is not marked timed out when the body ends in time", async () => {
    const result = await readErrorBody(new Response("Gone.").body, new Headers(), 65_536, Date.now() + 5_000);
    expect(result).toEqual({ text: "Gone.", truncated: false });
  });
});
