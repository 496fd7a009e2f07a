/**
 * Configuration of routing: the top-level `unmatched` and
 * `reject_ambiguous_paths`, and each route's `pattern` and `name`.
 */
import { join, readBoolean, readEnum, readString, type Issues } from "../config/validate";
import { compilePattern, patternProblem, shadows, type CompiledPattern } from "./route-pattern";

export const ROUTING_TOP_KEYS = ["unmatched", "reject_ambiguous_paths"] as const;
export const ROUTING_ROUTE_KEYS = ["pattern", "name"] as const;

export interface RoutingSettings {
  /** Paths no route matches: forwarded with [defaults], or 404. */
  readonly unmatched: "proxy" | "not_found";
  /** Refuse paths servers read differently (canonical-path.ts). */
  readonly rejectAmbiguousPaths: boolean;
}

export function parseRouting(top: Record<string, unknown>, path: string, issues: Issues): RoutingSettings {
  return {
    unmatched: readEnum(top.unmatched, join(path, "unmatched"), issues, ["proxy", "not_found"] as const) ?? "proxy",
    rejectAmbiguousPaths: readBoolean(top.reject_ambiguous_paths, join(path, "reject_ambiguous_paths"), issues) ?? true,
  };
}

/** A route's pattern (required) and its name in logs: its `name`, else its pattern, else its place. */
export function parseRouteMatch(table: Record<string, unknown>, path: string, index: number, issues: Issues): { name: string; pattern: CompiledPattern | undefined } {
  const source = readString(table.pattern, join(path, "pattern"), issues);
  if (source === undefined && table.pattern === undefined) issues.push(`${join(path, "pattern")}: required, e.g. "/users/:id" or "/scim/v2/*"`);
  let pattern: CompiledPattern | undefined;
  if (source !== undefined) {
    const problem = patternProblem(source);
    if (problem !== undefined) issues.push(`${join(path, "pattern")}: ${problem}, got ${JSON.stringify(source)}`);
    else pattern = compilePattern(source);
  }
  const name = readString(table.name, join(path, "name"), issues) ?? source ?? `routes[${index}]`;
  return { name, pattern };
}

/** Routes that can never be chosen: an earlier route matches every path they do (or the same pattern). */
export function shadowedRoutes(patterns: readonly (string | undefined)[], issues: Issues): void {
  patterns.forEach((later, j) => {
    if (later === undefined) return;
    const i = patterns.findIndex((earlier, k) => k < j && earlier !== undefined && shadows(earlier, later));
    const earlier = patterns[i];
    if (i === -1 || earlier === undefined) return;
    const path = `PORTCULLIS.routes[${j}].pattern`;
    issues.push(
      earlier.toLowerCase() === later.toLowerCase()
        ? `${path}: ${JSON.stringify(later)} is also routes[${i}]'s pattern; only the first of the two is ever chosen`
        : `${path}: ${JSON.stringify(later)} can never match: routes[${i}] (${JSON.stringify(earlier)}) comes first and matches every path it does; list the more specific route first`,
    );
  });
}
