// `npm run check` on generated wrangler.toml files: a production-sized
// configuration in one var is named with Cloudflare's limit and its size;
// split over several vars it passes.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { stringify } from "smol-toml";
import { afterAll, describe, expect, it } from "vitest";
import { largeConfig } from "../fixtures/large-config";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "portcullis-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the check on a wrangler.toml holding `vars`; resolves with its exit code and output. */
async function check(vars: Record<string, unknown>): Promise<{ code: number; output: string }> {
  const file = join(dir, `wrangler-${Math.random().toString(36).slice(2)}.toml`);
  writeFileSync(file, stringify({ name: "check-test", main: "src/index.ts", vars }));
  try {
    const { stdout, stderr } = await run(process.execPath, ["scripts/check-config.mjs", file]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: (failed.stdout ?? "") + (failed.stderr ?? "") };
  }
}

describe("npm run check and the size of vars", () => {
  const { whole, split } = largeConfig();

  it("names a var past 5 KB with its size, and fails", async () => {
    const { code, output } = await check({ ORIGIN_URL: "https://origin.example.com", PORTCULLIS: whole });
    expect(code).toBe(1);
    expect(output).toMatch(/PORTCULLIS: [\d,]+ bytes as uploaded; Cloudflare accepts at most 5 KB per environment variable/);
  }, 20_000);

  it("passes the same configuration split over several vars", async () => {
    const { code, output } = await check({ ORIGIN_URL: "https://origin.example.com", ...split });
    expect(output).toContain("✓ (top level): 30 route(s)");
    expect(code).toBe(0);
  }, 20_000);
});
