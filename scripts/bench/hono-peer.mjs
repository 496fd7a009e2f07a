// The hand-written Hono peer (hono-gateway.mjs), bundled as wrangler would
// (hono from node_modules): its module text, for Miniflare. Shared by the
// benchmark (index.mjs) and the instruction count (instructions.mjs).
import { build } from "esbuild";

export async function honoPeer() {
  const out = await build({
    entryPoints: [new URL("./hono-gateway.mjs", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    platform: "neutral",
    external: ["cloudflare:workers"],
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0].text;
}
