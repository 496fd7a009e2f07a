/**
 * The configuration, parsed once per isolate. Workers hand every request the
 * same `env`, so the result is cached against it (and, should the object
 * differ, against the values of its configuration vars); a different
 * configuration (another environment, or a test) is parsed afresh.
 */
import { configSources } from "./config-sources";
import { parseGatewayConfig, type ConfigResult, type RawEnv } from "./gateway-config";

interface Cached {
  readonly env: object;
  readonly origin: unknown;
  readonly sources: readonly unknown[];
  readonly result: ConfigResult;
}

let cached: Cached | undefined;

function sameConfig(entry: Cached, env: RawEnv): boolean {
  if (entry.env === env) return true;
  if (entry.origin !== env.ORIGIN_URL) return false;
  const values = configSources(env).map((s) => s.value);
  return values.length === entry.sources.length && values.every((v, i) => v === entry.sources[i]);
}

/** `bindings`: the Worker's env; its vars are read by name (the typed Env lists only the declared ones). */
export function loadConfig(bindings: object): ConfigResult {
  const env = bindings as RawEnv;
  if (cached !== undefined && sameConfig(cached, env)) return cached.result;
  const result = parseGatewayConfig(env);
  if (!result.ok) {
    // Logged once per isolate, in full, for the operator; clients only get a 500 problem.
    console.error(
      JSON.stringify({ level: "error", message: "invalid gateway configuration", issues: result.issues }),
    );
  }
  cached = { env, origin: env.ORIGIN_URL, sources: configSources(env).map((s) => s.value), result };
  return result;
}
