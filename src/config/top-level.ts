/**
 * The top-level `[vars]` of wrangler.toml, for an environment whose
 * `PORTCULLIS` says `extends = "top-level"`. Wrangler does not inherit
 * `[vars]` into `[env.*]`, so the Worker carries the project's wrangler.toml
 * itself as a text module (through the symlink `wrangler-toml.txt`: wrangler
 * bundles `*.txt` as text with no rule to configure) and an environment reads
 * the shared configuration from it instead of repeating it. Parsed on first
 * use, once per isolate.
 */
import { parse } from "smol-toml";
import wranglerToml from "./wrangler-toml.txt";
import { perIsolate } from "../isolate";
import type { RawEnv } from "./gateway-config";

interface Bundled {
  readonly vars: RawEnv;
  readonly environments: readonly RawEnv[];
}

const parsed = perIsolate<{ file?: Bundled | "unreadable" }>(() => ({}));

function bundled(): Bundled | undefined {
  const slot = parsed.get();
  if (slot.file === undefined) {
    try {
      const toml: unknown = parse(wranglerToml);
      // JSON, as wrangler hands vars to the Worker (a TOML date becomes its string).
      const file = JSON.parse(JSON.stringify(toml)) as { vars?: unknown; env?: unknown };
      const environments = isTable(file.env) ? Object.values(file.env).map((env) => (isTable(env) && isTable(env.vars) ? (env.vars as RawEnv) : {})) : [];
      slot.file = { vars: isTable(file.vars) ? (file.vars as RawEnv) : {}, environments };
    } catch {
      slot.file = "unreadable";
    }
  }
  return slot.file === "unreadable" ? undefined : slot.file;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The top-level vars, or undefined when wrangler.toml cannot be read. */
export function topLevelVars(): RawEnv | undefined {
  return bundled()?.vars;
}

/** The vars of each `[env.*]`, or undefined when wrangler.toml cannot be read. */
export function bundledEnvironments(): readonly RawEnv[] | undefined {
  return bundled()?.environments;
}
