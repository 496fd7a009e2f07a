#!/usr/bin/env node
// `npm run check`: validates wrangler.toml offline, for the top level and every
// [env.*], with the same parser the Worker runs, and names every mistake,
// including upstream bindings ([[services]], [[mtls_certificates]]) that the
// environment does not declare.
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
    contents: [
      'export { parseGatewayConfig } from "./src/config/gateway-config.ts";',
      'export { varSizeIssues } from "./src/config/config-sources.ts";',
      'export { upstreamBindingIssues } from "./src/upstreams/config.ts";',
    ].join(" "),
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  format: "esm",
  platform: "neutral",
  write: false,
  logLevel: "silent",
});
const { parseGatewayConfig, varSizeIssues, upstreamBindingIssues } = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`);

let toml;
try {
  toml = parse(readFileSync(file, "utf8"));
} catch (error) {
  console.error(`✗ ${file}: not valid TOML: ${error.message}`);
  process.exit(1);
}

// Wrangler does not inherit [vars] or bindings into environments: each is checked on its own.
const environments = [["(top level)", "", toml]];
for (const [name, env] of Object.entries(toml.env ?? {})) environments.push([`env.${name}`, `env.${name}`, env]);

const bindingNames = (list) => (Array.isArray(list) ? list.map((b) => b?.binding).filter((b) => typeof b === "string") : []);

let failed = 0;
for (const [name, where, section] of environments) {
  const vars = section.vars ?? {};
  const result = parseGatewayConfig(vars);
  const declared = { services: bindingNames(section.services), mtlsCertificates: bindingNames(section.mtls_certificates) };
  // Deploy would be refused for these; the Worker itself never sees the limit.
  const issues = [...varSizeIssues(vars), ...(result.ok ? upstreamBindingIssues(result.config.upstreams, declared, where) : result.issues)];
  if (issues.length === 0) {
    const { origin, upstreams, routes } = result.config;
    const named = upstreams.size === 0 ? "" : `, upstreams ${[...upstreams.keys()].join(", ")}`;
    console.log(`✓ ${name}: ${routes.length} route(s)${origin === undefined ? "" : `, origin ${origin.base}`}${named}`);
  } else {
    failed++;
    console.error(`✗ ${name}: ${issues.length} mistake(s)`);
    for (const issue of issues) console.error(`    ${issue}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
