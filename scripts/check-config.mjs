#!/usr/bin/env node
// `npm run check`: validates wrangler.toml offline, for the top level and every
// [env.*], with the same parser the Worker runs, and names every mistake.
// Usage: npm run check [-- path/to/wrangler.toml]
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";

const root = fileURLToPath(new URL("..", import.meta.url));
const file = resolve(process.argv[2] ?? `${root}/wrangler.toml`);

const bundle = await build({
  stdin: {
    contents: 'export { parseGatewayConfig } from "./src/config/gateway-config.ts"; export { varSizeIssues } from "./src/config/config-sources.ts";',
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  format: "esm",
  platform: "neutral",
  write: false,
  logLevel: "silent",
});
const { parseGatewayConfig, varSizeIssues } = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`);

let toml;
try {
  toml = parse(readFileSync(file, "utf8"));
} catch (error) {
  console.error(`✗ ${file}: not valid TOML: ${error.message}`);
  process.exit(1);
}

// Wrangler does not inherit [vars] into environments: each is checked on its own.
const environments = [["(top level)", toml.vars ?? {}]];
for (const [name, env] of Object.entries(toml.env ?? {})) environments.push([`env.${name}`, env.vars ?? {}]);

let failed = 0;
for (const [name, vars] of environments) {
  const result = parseGatewayConfig(vars);
  // Deploy would be refused for these; the Worker itself never sees the limit.
  const issues = [...varSizeIssues(vars), ...(result.ok ? [] : result.issues)];
  if (issues.length === 0) {
    console.log(`✓ ${name}: ${result.config.routes.length} route(s), origin ${result.config.origin.base}`);
  } else {
    failed++;
    console.error(`✗ ${name}: ${issues.length} mistake(s)`);
    for (const issue of issues) console.error(`    ${issue}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
