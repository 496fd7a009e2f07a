// wrangler.toml, bundled as a text module ([[rules]] in wrangler.toml; a Vite
// plugin in vitest.config.ts does the same for the tests).
declare module "*.toml" {
  const text: string;
  export default text;
}
