/**
 * The top-level `[vars]` of wrangler.toml, for an environment whose
 * `PORTCULLIS` says `extends = "top-level"`. Wrangler does not inherit
 * `[vars]` into `[env.*]`, but it does inherit module rules, so the Worker is
 * built with wrangler.toml itself as a text module (its `[[rules]]`), and an
 * environment reads the shared configuration from it instead of repeating
 * it. Parsed on first use, once per isolate.
 */
import { parse } from "smol-toml";
import wranglerToml from "../../wrangler.toml";
import { perIsolate } from "../isolate";
import type { RawEnv } from "./gateway-config";

const parsed = perIsolate<{ vars?: RawEnv | "unreadable" }>(() => ({}));

/** The top-level vars, or undefined when wrangler.toml cannot be read. */
export function topLevelVars(): RawEnv | undefined {
  const slot = parsed.get();
  if (slot.vars === undefined) {
    try {
      const vars: unknown = parse(wranglerToml).vars;
      slot.vars = typeof vars === "object" && vars !== null && !Array.isArray(vars) ? (vars as RawEnv) : {};
    } catch {
      slot.vars = "unreadable";
    }
  }
  return slot.vars === "unreadable" ? undefined : slot.vars;
}
