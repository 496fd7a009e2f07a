/**
 * The configuration, parsed and compiled once per isolate. Workers hand every
 * request the same `env`, so the result is kept against it (and, should the
 * object differ, against the values of its configuration vars); another
 * configuration (another environment, or a test) is compiled afresh.
 */
import { perIsolate } from "../isolate";
import { compileGateway, type GatewayPlan } from "./compile";
import { configSources } from "./config-sources";
import { parseGatewayConfig, type RawEnv } from "./gateway-config";
import { bundledEnvironments, topLevelVars } from "./top-level";

export type LoadResult = { readonly ok: true; readonly plan: GatewayPlan } | { readonly ok: false; readonly issues: readonly string[] };

interface Loaded {
  readonly env: object;
  readonly origin: unknown;
  readonly sources: readonly unknown[];
  readonly result: LoadResult;
}

const loaded = perIsolate<{ current: Loaded | undefined }>(() => ({ current: undefined }));

function sameConfig(entry: Loaded, env: RawEnv): boolean {
  if (entry.env === env) return true;
  if (entry.origin !== env.ORIGIN_URL) return false;
  const values = configSources(env).map((s) => s.value);
  return values.length === entry.sources.length && values.every((v, i) => v === entry.sources[i]);
}

/** `bindings`: the Worker's env; its vars are read by name (the typed Env lists only the declared ones). */
export function loadGateway(bindings: object): LoadResult {
  const env = bindings as RawEnv;
  const slot = loaded.get();
  if (slot.current !== undefined && sameConfig(slot.current, env)) return slot.current.result;
  const parsed = parseGatewayConfig(env, { topLevel: topLevelVars, environments: bundledEnvironments });
  const result: LoadResult = parsed.ok ? { ok: true, plan: compileGateway(parsed.config) } : { ok: false, issues: parsed.issues };
  if (!result.ok) {
    // Logged once per isolate, in full, for the operator; clients only get a 500 problem.
    console.error(JSON.stringify({ level: "error", message: "invalid gateway configuration", issues: result.issues }));
  }
  slot.current = { env, origin: env.ORIGIN_URL, sources: configSources(env).map((s) => s.value), result };
  return result;
}
