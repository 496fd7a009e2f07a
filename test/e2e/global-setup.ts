import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Bundles the Worker exactly as `wrangler deploy` would (offline dry run), once
 * per test run; every e2e file then runs that bundle in workerd via Miniflare.
 */
export default function setup(project: TestProject): () => void {
  const outdir = mkdtempSync(join(tmpdir(), "portcullis-e2e-"));
  execFileSync("wrangler", ["deploy", "--dry-run", "--outdir", outdir], {
    stdio: "pipe",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "error" },
  });
  project.provide("bundlePath", join(outdir, "index.js"));
  return () => rmSync(outdir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    bundlePath: string;
  }
}
