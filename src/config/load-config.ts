/**
 * The configuration, parsed once per isolate. Workers hand every request the
 * same `env` values, so the result is cached against them; a different `env`
 * (another environment, or a test) is parsed afresh.
 */
import { parseGatewayConfig, type ConfigResult, type RawEnv } from "./gateway-config";

let cached: { origin: unknown; portcullis: unknown; result: ConfigResult } | undefined;

export function loadConfig(env: RawEnv): ConfigResult {
  if (cached !== undefined && cached.origin === env.ORIGIN_URL && cached.portcullis === env.PORTCULLIS) {
    return cached.result;
  }
  const result = parseGatewayConfig(env);
  if (!result.ok) {
    // Logged once per isolate, in full, for the operator; clients only get a 500 problem.
    console.error(
      JSON.stringify({ level: "error", message: "invalid gateway configuration", issues: result.issues }),
    );
  }
  cached = { origin: env.ORIGIN_URL, portcullis: env.PORTCULLIS, result };
  return result;
}
