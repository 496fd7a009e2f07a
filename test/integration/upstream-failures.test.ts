import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../helpers/gateway";
import { readProblem } from "../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("upstream timeout", () => {
  it("answers 504 when the origin sends no headers in time, and aborts the fetch", async () => {
    let signal: AbortSignal | null = null;
    mockOrigin((request) => {
      signal = request.signal;
      return new Promise<Response>(() => {});
    });
    const started = Date.now();
    const res = await send("/slow", {}, { PORTCULLIS: { defaults: { timeout_ms: 100 } } });
    expect(Date.now() - started).toBeLessThan(2000);
    const problem = await readProblem(res);
    expect(res.status).toBe(504);
    expect(problem.type).toBe("tag:portcullis.dev,2026:problems/gateway-timeout");
    expect(problem.detail).toBe("The origin did not respond in time.");
    expect(signal).not.toBeNull();
    expect((signal as AbortSignal | null)?.aborted).toBe(true);
  });

  it("uses the matched route's timeout", async () => {
    mockOrigin(() => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response("late")), 200)));
    const vars = { PORTCULLIS: { defaults: { timeout_ms: 50 }, routes: [{ pattern: "/patient/*", timeout_ms: 2000 }] } };
    expect((await send("/patient/x", {}, vars)).status).toBe(200);
    expect((await send("/impatient", {}, vars)).status).toBe(504);
  });
});

describe("unreachable or broken origin", () => {
  it("answers 502 without leaking the network error", async () => {
    mockOrigin(() => {
      throw new TypeError("Network connection lost: connect ECONNREFUSED 10.0.0.12:5432 internal-db.svc.cluster.local");
    });
    const res = await send("/x");
    const problem = await readProblem(res);
    expect(res.status).toBe(502);
    expect(problem.type).toBe("tag:portcullis.dev,2026:problems/bad-gateway");
    expect(JSON.stringify(problem)).not.toMatch(/10\.0\.0\.12|ECONNREFUSED|cluster\.local/);
  });
});
