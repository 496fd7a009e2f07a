/**
 * The last resort for `detail`: message-like members anywhere in the body,
 * nearest the top first. Run only when nothing the reader ranked passes the
 * leak filter, so a message under an unknown wrapper (`{"result": {"info":
 * {"message": "…"}}}`) is still what the client reads.
 */
import { restatesStatus } from "../status-text";
import { isIdentifier, normalKey, roleOf } from "./vocabulary";
import { isRecord } from "./types";

const MAX_DEPTH = 4;
const MAX_NODES = 1000;

/**
 * `skip`: members of the body that mean something else under its dialect (a
 * problem's `title`). Texts that only restate the status are not messages.
 */
export function deepMessages(value: unknown, status: number, skip: readonly string[] = []): string[] {
  const strong: string[] = [];
  const weak: string[] = [];
  let level: unknown[] = [value];
  let nodes = 0;
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const container of level) {
      if (++nodes > MAX_NODES) return [...strong, ...weak];
      if (Array.isArray(container)) {
        for (const item of container.slice(0, 64)) if (typeof item === "object" && item !== null) next.push(item);
        continue;
      }
      if (!isRecord(container)) continue;
      let seen = 0;
      for (const key in container) {
        if (!Object.hasOwn(container, key) || ++seen > 64 || (depth === 0 && skip.includes(key))) continue;
        const member = container[key];
        if (typeof member === "object" && member !== null) {
          next.push(member);
          continue;
        }
        if (typeof member !== "string") continue;
        const k = normalKey(key);
        const rank = roleOf(k).message;
        const prose = rank !== undefined || ((k === "error" || k === "reason") && !isIdentifier(member));
        if (!prose || member.trim() === "" || restatesStatus(member, status)) continue;
        (rank?.tier === 1 ? strong : weak).push(member);
      }
    }
    level = next;
  }
  return [...strong, ...weak];
}
