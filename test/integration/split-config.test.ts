// At runtime, a configuration split over PORTCULLIS_* vars behaves as one:
// a route from one part, a key from another, a policy from PORTCULLIS.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../helpers/gateway";
import { readProblem } from "../helpers/problem-schema";
import { sha256Hex } from "../../src/digest";

afterEach(() => {
  vi.restoreAllMocks();
});

const KEY = "pcl_split-config-test-key-0123456789abcdefghijkl";

describe("a configuration split across vars", () => {
  it("serves routes, keys and policies from every part", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const vars = {
      PORTCULLIS: { unmatched: "not_found", rate_limits: { tight: { quota: 1, window_seconds: 60, key: "consumer" } } },
      PORTCULLIS_ROUTES: { routes: [{ pattern: "/first" }] },
      PORTCULLIS_ROUTES_2: { routes: [{ pattern: "/orders/*", auth: "api_key", rate_limits: ["tight"] }] },
      PORTCULLIS_KEYS: { auth: { keys: { [await sha256Hex(KEY)]: { consumer: "split-partner" } } } },
    };
    expect((await send("/first", {}, vars)).status).toBe(200);
    expect((await send("/orders/1", { headers: { "x-api-key": KEY } }, vars)).status).toBe(200);
    expect(origin.calls.at(-1)?.request.headers.get("x-consumer-id")).toBe("split-partner");
    expect((await send("/orders/2", { headers: { "x-api-key": KEY } }, vars)).status).toBe(429);
    expect((await send("/elsewhere", {}, vars)).status).toBe(404);
  });

  it("answers 500 naming nothing when two parts set one key", async () => {
    mockOrigin(() => new Response("ok"));
    const res = await send("/x", {}, { PORTCULLIS: { unmatched: "proxy" }, PORTCULLIS_MORE: { unmatched: "not_found" } });
    expect(res.status).toBe(500);
    const problem = await readProblem(res);
    expect(JSON.stringify(problem)).not.toContain("PORTCULLIS_MORE");
  });
});
