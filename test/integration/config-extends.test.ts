// At runtime, an environment that extends the top level reads the shared
// configuration from wrangler.toml as the Worker was built with it; one that
// is not in that file (the Worker was built from another) is refused.
import { parse } from "smol-toml";
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import wranglerToml from "../../src/config/wrangler-toml.txt";
import { mockOrigin, send } from "../helpers/gateway";

afterEach(() => {
  vi.restoreAllMocks();
});

const DEMO_KEY = "pcl_VK5heIrIecLiXmTm4IQDxZD7aOLSaFFPUzz6dtQgo6M";
/** [env.staging] of this repository's wrangler.toml, as wrangler hands its vars to the Worker. */
const staging = {
  ...(JSON.parse(JSON.stringify(parse(wranglerToml))).env.staging.vars as Record<string, unknown>),
  // Its [[env.staging.kv_namespaces]], here the test runner's namespace.
  API_KEYS: (env as unknown as { API_KEYS: KVNamespace }).API_KEYS,
};

describe("an environment extending the top-level [vars]", () => {
  it("serves this repository's routes with its own origin, and its own keys only", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const open = await send("/users/42", {}, staging);
    expect(open.status).toBe(200);
    expect(origin.calls.at(-1)?.request.url).toBe("https://staging-origin.example.com/users/42");
    // wrangler.toml's /private/* route needs a key; the demo key is the top level's, not staging's.
    expect((await send("/private/orders", { headers: { "x-api-key": DEMO_KEY } }, staging)).status).toBe(401);
    // The shared rate-limit policies apply; the upstream is staging's own.
    expect(open.headers.get("ratelimit-policy")).toBe('"burst";q=10;w=1, "daily";q=10000;w=86400');
    await send("/replicas/users/1", {}, staging);
    expect(origin.calls.at(-1)?.request.url).toBe("https://replica-1.staging.example.com/users/1");
  });

  it("refuses an environment the bundled wrangler.toml does not have: a 500, never another file's configuration", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const elsewhere = { ORIGIN_URL: "https://prod-origin.test", PORTCULLIS: { extends: "top-level", auth: { keys: { ["f".repeat(64)]: { consumer: "prod" } } } } };
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await send("/users/42", {}, elsewhere);
    expect(response.status).toBe(500);
    expect(origin.calls).toHaveLength(0);
    expect(errors.mock.calls.map(([line]) => String(line)).join("\n")).toContain("PORTCULLIS.extends: this environment is not in the wrangler.toml the Worker bundles");
  });
});
