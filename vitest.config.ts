import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects, one command (`npm test`):
// - "workers": unit and integration tests that run inside workerd, with the
//   bindings of wrangler.toml (the Durable Object, vars).
// - "e2e": Node drives the real gateway (the bundled Worker in workerd via
//   Miniflare) and real HTTP origins on 127.0.0.1 with a real HTTP client.
// wrangler.toml is imported as text by src/config/top-level.ts, through the
// symlink src/config/wrangler-toml.txt: wrangler bundles *.txt as text by
// default, the test runner through this plugin (Vite resolves the symlink).
const tomlAsText = {
  name: "toml-as-text",
  transform(code: string, id: string) {
    return id.endsWith(".toml") || id.endsWith(".txt") ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined;
  },
};

export default defineConfig({
  test: {
    // Each request logs a JSON line; show them only for failing tests.
    silent: "passed-only",
    // The JSON report is what .ci/run reads to print its totals line.
    reporters: ["default", "json"],
    outputFile: { json: ".vitest/results.json" },
    projects: [
      {
        plugins: [
          tomlAsText,
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // A KV namespace of API keys for the auth tests (test/integration/auth/).
            // node:inspector is one vitest itself asks for in every test file; without
            // it the plugin prints a warning per file. The gateway never imports it.
            miniflare: { kvNamespaces: ["TEST_API_KEYS"], compatibilityFlags: ["enable_nodejs_inspector_module"] },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
          setupFiles: ["test/helpers/fresh-isolate.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
