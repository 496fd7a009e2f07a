#!/usr/bin/env node
// `npm run check`: validates wrangler.toml offline, for the top level and every
// [env.*], with the same parser the Worker runs: names every mistake, checks
// that each environment binds what its configuration uses (the RateLimiter
// Durable Object, KV keys, upstream [[services]] and [[mtls_certificates]]),
// and says what each environment ends up with.
// Usage: npm run check [-- path/to/wrangler.toml] [-- --quiet]
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const quiet = args.includes("--quiet");
const file = resolve(args.find((a) => !a.startsWith("--")) ?? `${root}/wrangler.toml`);

const bundle = await build({
  stdin: {
    contents: [
      'export { parseGatewayConfig } from "./src/config/gateway-config.ts";',
      'export { varSizeIssues } from "./src/config/config-sources.ts";',
      'export { deploymentIssues, describeGateway } from "./src/config/deployment.ts";',
      'export { upstreamBindingIssues } from "./src/upstreams/config.ts";',
    ].join("\n"),
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  format: "esm",
  platform: "neutral",
  write: false,
  logLevel: "silent",
});
const { parseGatewayConfig, varSizeIssues, deploymentIssues, describeGateway, upstreamBindingIssues } = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`);

let toml;
try {
  toml = parse(readFileSync(file, "utf8"));
} catch (error) {
  console.error(`✗ ${file}: not valid TOML: ${error.message}`);
  process.exit(1);
}

// What the Worker bundles for `extends = "top-level"`: the project's
// wrangler.toml (src/config/wrangler-toml.txt), whichever file is checked.
let bundledToml;
try {
  bundledToml = JSON.parse(JSON.stringify(parse(readFileSync(`${root}/wrangler.toml`, "utf8"))));
} catch {
  bundledToml = undefined;
}
const context = {
  topLevel: () => bundledToml?.vars ?? {},
  environments: () => (bundledToml === undefined ? undefined : Object.values(bundledToml.env ?? {}).map((env) => env?.vars ?? {})),
};

/** An environment's bindings: wrangler inherits migrations only. */
function deployment(env) {
  const migrations = env.migrations ?? toml.migrations ?? [];
  return {
    durableObjects: (env.durable_objects?.bindings ?? []).map((b) => ({ name: b.name, className: b.class_name })),
    migratedClasses: migrations.flatMap((m) => [
      ...(m.new_sqlite_classes ?? []).map((className) => ({ className, sqlite: true })),
      ...(m.new_classes ?? []).map((className) => ({ className, sqlite: false })),
    ]),
    kvNamespaces: (env.kv_namespaces ?? []).map((ns) => ns.binding),
  };
}

// Wrangler does not inherit [vars] into environments: each is checked on its
// own, and one that says `extends = "top-level"` reads the top level's.
const environments = [["(top level)", "", toml]];
for (const [name, env] of Object.entries(toml.env ?? {})) environments.push([`env.${name}`, `env.${name}`, env]);

const bindingNames = (list) => (Array.isArray(list) ? list.map((b) => b?.binding).filter((b) => typeof b === "string") : []);

let failed = 0;
for (const [name, where, env] of environments) {
  const vars = env.vars ?? {};
  const result = parseGatewayConfig(JSON.parse(JSON.stringify(vars)), context);
  const declared = { services: bindingNames(env.services), mtlsCertificates: bindingNames(env.mtls_certificates) };
  const bindingIssues = result.ok ? [...deploymentIssues(result.config, deployment(env)), ...upstreamBindingIssues(result.config.upstreams, declared, where)] : [];
  // Deploy would be refused for these; the Worker itself never sees the limit.
  const issues = [...varSizeIssues(vars), ...(result.ok ? bindingIssues : result.issues)];
  const extending = typeof vars.PORTCULLIS === "object" && vars.PORTCULLIS?.extends === "top-level" ? " (extends the top level)" : "";
  if (issues.length === 0) {
    const { origin, upstreams, routes } = result.config;
    const named = upstreams.size === 0 ? "" : `, upstreams ${[...upstreams.keys()].join(", ")}`;
    console.log(`✓ ${name}${extending}: ${routes.length} route(s)${origin === undefined ? "" : `, origin ${origin.base}`}${named}`);
    if (!quiet) for (const line of describeGateway(result.config)) console.log(`    ${line}`);
  } else {
    failed++;
    console.error(`✗ ${name}${extending}: ${issues.length} mistake(s)`);
    for (const issue of issues) console.error(`    ${issue}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
