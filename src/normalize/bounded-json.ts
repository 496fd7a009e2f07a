/**
 * JSON.parse with a bounded cost. An error body's message, its code and the
 * 50 field errors a problem carries fit in its first kilobytes; parsing all
 * of a 64 KiB list of errors costs more than everything else normalization
 * does. So a body longer than READ_BUDGET is read in two pieces:
 * - its head, up to the last complete list item or member before the budget
 *   (never half an item of a list), with the lists and objects still open
 *   closed after it;
 * - its tail: the top-level members after the last large value (a `message`
 *   or `meta` written after a long `errors` list), found by scanning back
 *   from the end.
 * Strings count at most LONG_STRING toward the budget: a long stack trace or
 * message is cheap to skip, and the members after it are still read.
 */

export interface ParsedJson {
  value: unknown;
  /** Only the head and tail of the body were read. */
  partial: boolean;
}

export const READ_BUDGET = 6 * 1024;
const LONG_STRING = 256;
const TAIL_WINDOW = 1024;

const QUOTE = 34;
const BACKSLASH = 92;

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; i >= 0 && text.charCodeAt(i) === BACKSLASH; i--) backslashes++;
  return (backslashes & 1) === 1;
}

/** The closing quote of the string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at !== -1 && escaped(text, at)) at = text.indexOf('"', at + 1);
  return at;
}

export function parseJson(text: string): ParsedJson | undefined {
  if (text.length <= READ_BUDGET) return whole(text);
  const head = readHead(text);
  if (head === "whole") return whole(text);
  if (head === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(head);
  } catch {
    return undefined;
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const tail = readTail(text);
    if (tail !== undefined) for (const key of Object.keys(tail)) if (!Object.hasOwn(value, key)) Object.defineProperty(value, key, { value: tail[key], enumerable: true, writable: true, configurable: true });
  }
  return { value, partial: true };
}

function whole(text: string): ParsedJson | undefined {
  try {
    return { value: JSON.parse(text), partial: false };
  } catch {
    return undefined;
  }
}

/**
 * The head of the body as JSON of its own, or "whole" when the body fits the
 * budget after all. Cut points are where what came before is complete: after
 * a list item (or a list's opening bracket), or after a member of the body or
 * of an envelope no list holds. An error object in a list is never cut apart:
 * it is read whole or not at all.
 */
function readHead(text: string): string | "whole" | undefined {
  let closers = "";
  let lists = 0;
  let cut = -1;
  let cutClosers = "";
  let cost = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end === -1) break;
      cost += Math.min(end - i, LONG_STRING);
      i = end;
      continue;
    }
    cost += 1;
    if (c === 123 || c === 91) {
      closers = (c === 123 ? "}" : "]") + closers;
      if (c === 91) lists++;
      if (c === 91 || lists === 0) {
        cut = i + 1;
        cutClosers = closers;
      }
    } else if (c === 125 || c === 93) {
      if (c === 93) lists--;
      closers = closers.slice(1);
      if (closers === "") return "whole";
    } else if (c === 44 && (closers.startsWith("]") || lists === 0)) {
      // After a list item, or after a member of an object no list holds (the body, its envelopes).
      cut = i;
      cutClosers = closers;
    }
    if (cost > READ_BUDGET && cut !== -1) break;
  }
  // Read to the end within the budget: a scalar, or JSON cut short by max_body_bytes (then the cut repairs it).
  if (i >= text.length && closers === "") return "whole";
  return cut === -1 ? undefined : text.slice(0, cut) + cutClosers;
}

/**
 * The top-level members at the end of an object body, within the last
 * TAIL_WINDOW characters: scanning back from the final `}`, every comma at
 * depth 1 starts a complete member; the earliest one found starts the tail.
 */
function readTail(text: string): Record<string, unknown> | undefined {
  let end = text.length - 1;
  while (end >= 0 && /\s/.test(text.charAt(end))) end--;
  if (text.charCodeAt(end) !== 125) return undefined;
  const stop = Math.max(0, end - TAIL_WINDOW);
  let depth = 1;
  let start = -1;
  for (let i = end - 1; i > stop; i--) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let open = text.lastIndexOf('"', i - 1);
      while (open > 0 && escaped(text, open)) open = text.lastIndexOf('"', open - 1);
      if (open <= stop) break;
      i = open;
    } else if (c === 125 || c === 93) depth++;
    else if (c === 123 || c === 91) {
      depth--;
      if (depth === 0) return undefined; // the whole body fits the window: the head has read it
    } else if (c === 44 && depth === 1) start = i;
  }
  if (start === -1) return undefined;
  try {
    const tail: unknown = JSON.parse(`{${text.slice(start + 1, end + 1)}`);
    return typeof tail === "object" && tail !== null && !Array.isArray(tail) ? (tail as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
