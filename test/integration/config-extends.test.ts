// At runtime, an environment that extends the top level reads the shared
// configuration from wrangler.toml as the Worker was built with it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../helpers/gateway";

afterEach(() => {
  vi.restoreAllMocks();
});

const DEMO_KEY = "pcl_VK5heIrIecLiXmTm4IQDxZD7aOLSaFFPUzz6dtQgo6M";
const production = {
  ORIGIN_URL: "https://prod-origin.test",
  PORTCULLIS: { extends: "top-level", auth: { keys: { ["f".repeat(64)]: { consumer: "prod" } } } },
};

describe("an environment extending the top-level [vars]", () => {
  it("serves this repository's routes with its own origin, and its own keys only", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const open = await send("/users/42", {}, production);
    expect(open.status).toBe(200);
    expect(origin.calls.at(-1)?.request.url).toBe("https://prod-origin.test/users/42");
    // wrangler.toml's /private/* route needs a key; the demo key is the top level's, not production's.
    expect((await send("/private/orders", { headers: { "x-api-key": DEMO_KEY } }, production)).status).toBe(401);
    // The shared rate-limit policies apply.
    expect(open.headers.get("ratelimit-policy")).toBe('"burst";q=10;w=1, "daily";q=10000;w=86400');
  });
});
