// Runs the bundled gateway in workerd through Miniflare, with no dev proxy in
// front. Shared by the e2e tests and the benchmarks.
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { parse } from "smol-toml";

const wrangler = parse(readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8"));

/**
 * `direct: true` serves the Worker on its own socket, without Miniflare's entry
 * worker in front (which emulates Cloudflare's edge: CF-Connecting-IP,
 * compression). workerd then cancels the Worker's subrequests when a client
 * disconnects, as Cloudflare does; through the entry worker it does not.
 * @param {{ bundlePath: string, vars: Record<string, unknown>, bindings?: Record<string, unknown>, port?: number, direct?: boolean }} options
 * @returns {Promise<{ url: URL, mf: Miniflare, dispose: () => Promise<void> }>}
 */
export async function runGateway({ bundlePath, vars, bindings = {}, port = 0, direct = false }) {
  const durableObjects = {};
  for (const binding of wrangler.durable_objects?.bindings ?? []) {
    durableObjects[binding.name] = { className: binding.class_name, useSQLite: true };
  }
  const mf = new Miniflare({
    workers: [
      {
        name: "portcullis",
        modules: true,
        scriptPath: bundlePath,
        modulesRoot: dirname(bundlePath),
        compatibilityDate: String(wrangler.compatibility_date),
        compatibilityFlags: wrangler.compatibility_flags ?? [],
        bindings: { ...vars, ...bindings },
        durableObjects,
        kvNamespaces: (wrangler.kv_namespaces ?? []).map((ns) => ns.binding),
        ...(direct ? { unsafeDirectSockets: [{ host: "127.0.0.1", port }] } : {}),
      },
    ],
    host: "127.0.0.1",
    port,
    // Request.cf is fetched from the network by default; this machine has none.
    cf: { colo: "LOCAL", country: "XX" },
  });
  const entry = await mf.ready;
  const url = direct ? await mf.unsafeGetDirectURL("portcullis") : entry;
  return { url, mf, dispose: () => mf.dispose() };
}
