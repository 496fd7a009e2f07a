/**
 * The Worker bindings auth config names: the HMAC secret (`wrangler secret`)
 * and the KV namespace of API keys. A binding the config names but the Worker
 * lacks is the operator's mistake: a 500 whose cause (logged, never sent)
 * names it.
 */
import { GatewayError } from "../problems";

export function misconfigured(cause: string): GatewayError {
  return new GatewayError("internal-error", "The gateway cannot verify credentials right now. Quote the request id when reporting this.", { cause });
}

export function secretBinding(env: object, name: string): string {
  const value: unknown = Reflect.get(env, name);
  if (typeof value !== "string" || value === "") {
    throw misconfigured(`auth.jwt.secret_binding names "${name}", but the Worker has no such secret (wrangler secret put ${name})`);
  }
  return value;
}

export function kvBinding(env: object, name: string): KVNamespace {
  const value: unknown = Reflect.get(env, name);
  if (!isKvNamespace(value)) {
    throw misconfigured(`auth.kv_binding names "${name}", but the Worker has no KV namespace bound by that name ([[kv_namespaces]] in wrangler.toml)`);
  }
  return value;
}

function isKvNamespace(value: unknown): value is KVNamespace {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "get") === "function" && typeof Reflect.get(value, "list") === "function";
}
