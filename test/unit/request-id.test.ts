import { describe, expect, it } from "vitest";
import { nextTraceparent, requestIdFrom } from "../../src/request/request-id";

describe("request id", () => {
  it("keeps a safe incoming id", () => {
    expect(requestIdFrom("req-123_abc.def:9")).toBe("req-123_abc.def:9");
  });
  it("mints a new one for unsafe, empty or over-long ids", () => {
    for (const bad of [null, "", "a b", "x\r\nset-cookie: y", "<script>", "a".repeat(129)]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("traceparent (W3C Trace Context)", () => {
  const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  it("continues a valid trace with a new parent id", () => {
    const { traceparent, continued } = nextTraceparent(incoming);
    expect(continued).toBe(true);
    expect(traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(traceparent).not.toBe(incoming);
  });
  it("starts a new trace when absent or invalid", () => {
    for (const bad of [null, "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"]) {
      const { traceparent, continued } = nextTraceparent(bad);
      expect(continued).toBe(false);
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
  });
});
