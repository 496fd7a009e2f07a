// wrangler.toml, bundled as a text module through the symlink
// src/config/wrangler-toml.txt (wrangler's default rule for *.txt; a Vite
// plugin in vitest.config.ts does the same for the tests).
declare module "*.txt" {
  const text: string;
  export default text;
}
