// Runs the bundled gateway in workerd through Miniflare, with no dev proxy in
// front. Shared by the e2e tests and the benchmarks.
import { Miniflare } from "miniflare";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "smol-toml";

const SHM = "/dev/shm";
const wrangler = parse(readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8"));

/**
 * `direct: true` serves the Worker on its own socket, without Miniflare's entry
 * worker in front (which emulates Cloudflare's edge: CF-Connecting-IP,
 * compression). workerd then cancels the Worker's subrequests when a client
 * disconnects, as Cloudflare does; through the entry worker it does not.
 *
 * `storage` places the Durable Objects' SQLite files: "disk" (Miniflare's
 * temporary directory) or "memory" (a tmpfs directory, /dev/shm, when there is
 * one). Benchmarks use memory: on Cloudflare a write is made durable by
 * forwarding it to replicas over the network (blog.cloudflare.com/sqlite-in-durable-objects),
 * not by fsync on a local disk, and locally that fsync would cost more than
 * everything else the object does.
 *
 * `workers` are more Workers in the same workerd (Miniflare worker options:
 * at least `name` and `script` or `scriptPath`; ES modules and the gateway's
 * compatibility date unless given), and `serviceBindings` binds them to the
 * gateway by name, as `[[services]]` does in wrangler.toml: `{ ACCOUNTS: "accounts" }`.
 * `inspectorPort` opens workerd's DevTools inspector on that port.
 * @param {{ inspectorPort?: number, bundlePath: string, vars: Record<string, unknown>, bindings?: Record<string, unknown>, workers?: Record<string, unknown>[], serviceBindings?: Record<string, string>, port?: number, direct?: boolean, storage?: "disk" | "memory" }} options
 * @returns {Promise<{ url: URL, mf: Miniflare, dispose: () => Promise<void>, storageDir: string | undefined }>}
 */
export async function runGateway({ bundlePath, vars, bindings = {}, workers = [], serviceBindings = {}, port = 0, direct = false, storage = "disk", inspectorPort }) {
  const durableObjects = {};
  for (const binding of wrangler.durable_objects?.bindings ?? []) {
    durableObjects[binding.name] = { className: binding.class_name, useSQLite: true };
  }
  const storageDir = storage === "memory" ? memoryStorageDir() : undefined;
  const mf = new Miniflare({
    ...(storageDir === undefined ? {} : { durableObjectsPersist: storageDir }),
    // The DevTools protocol, where workerd reports uncaught exceptions (as wrangler dev prints them).
    ...(inspectorPort === undefined ? {} : { inspectorPort }),
    workers: [
      {
        name: "portcullis",
        modules: true,
        scriptPath: bundlePath,
        modulesRoot: dirname(bundlePath),
        // wrangler.toml travels in the bundle as a text module (src/config/wrangler-toml.txt).
        modulesRules: [{ type: "Text", include: ["**/*.txt"] }],
        compatibilityDate: String(wrangler.compatibility_date),
        compatibilityFlags: wrangler.compatibility_flags ?? [],
        bindings: { ...vars, ...bindings },
        durableObjects,
        kvNamespaces: (wrangler.kv_namespaces ?? []).map((ns) => ns.binding),
        serviceBindings,
        ...(direct ? { unsafeDirectSockets: [{ host: "127.0.0.1", port }] } : {}),
      },
      ...workers.map((worker) => ({ modules: true, compatibilityDate: String(wrangler.compatibility_date), ...worker })),
    ],
    host: "127.0.0.1",
    port,
    // Request.cf is fetched from the network by default; this machine has none.
    cf: { colo: "LOCAL", country: "XX" },
  });
  const entry = await mf.ready;
  const url = direct ? await mf.unsafeGetDirectURL("portcullis") : entry;
  const dispose = async () => {
    await mf.dispose();
    if (storageDir !== undefined) rmSync(storageDir, { recursive: true, force: true });
  };
  return { url, mf, dispose, storageDir };
}

/** A fresh directory on tmpfs, or undefined when the machine has no /dev/shm. */
export function memoryStorageDir() {
  return memoryStorageDir.available() ? mkdtempSync(join(SHM, "portcullis-objects-")) : undefined;
}
memoryStorageDir.available = () => existsSync(SHM);

