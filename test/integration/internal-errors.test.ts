import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../helpers/gateway";
import { readProblem } from "../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("an invalid configuration", () => {
  it("logs every mistake once and answers clients with a 500 problem that names none of them", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const origin = mockOrigin(() => new Response("no"));
    const vars = { ORIGIN_URL: "not a url", PORTCULLIS: { defaults: { max_body_bytes: "1MB" } } };
    const res = await send("/x", {}, vars);
    const problem = await readProblem(res);
    expect(res.status).toBe(500);
    expect(problem.type).toBe("tag:portcullis.dev,2026:problems/internal-error");
    expect(JSON.stringify(problem)).not.toMatch(/ORIGIN_URL|max_body_bytes|1MB/);
    expect(origin.calls).toHaveLength(0);
    const logged = errors.mock.calls.map((c) => String(c[0])).join("\n");
    expect(logged).toContain('ORIGIN_URL: expected an absolute http(s) URL, got \\"not a url\\"');
    expect(logged).toContain('PORTCULLIS.defaults.max_body_bytes: expected a positive integer, got \\"1MB\\"');
  });
});

describe("an unexpected exception", () => {
  it("becomes a 500 problem without the exception's message", async () => {
    // Any failure of fetch itself counts as an origin failure (502), so provoke a
    // real bug instead: the platform handing back something that is not a Response.
    vi.spyOn(globalThis, "fetch").mockResolvedValue({ get status(): number { throw new Error("secret internal state: db password hunter2"); } } as unknown as Response);
    const res = await send("/x");
    const problem = await readProblem(res);
    expect(res.status).toBe(500);
    expect(problem.detail).toBe("The gateway failed to process the request. Quote the request id when reporting this.");
    expect(JSON.stringify(problem)).not.toMatch(/hunter2|secret/);
  });
});
