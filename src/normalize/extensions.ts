/**
 * Origin extension members (RFC 9457 §3.2) made safe to pass on: `traceId`,
 * Stripe's `doc_url`, Google's ErrorInfo … survive; stack traces, paths and
 * oversized blobs do not. A member with anything leaky anywhere inside is
 * dropped whole.
 */
import { boundLength, looksLeaky, stripControls } from "./sanitize";

/** Members the gateway owns; an origin member of the same name never overrides them. */
const RESERVED = new Set(["type", "title", "status", "detail", "instance", "request_id", "code", "errors"]);
/** Names that would reach an object's prototype if ever assigned naively. */
const UNSAFE = new Set(["__proto__", "constructor", "prototype"]);
/** Debugging output by name (Spring's `trace`, Express's `stack`, .NET's `exception`): internals, whatever they hold. */
const DEBUG = new Set(["stack", "stacktrace", "trace", "exception", "debug", "backtrace"]);
// RFC 9457 §3.2 recommends names of letters, digits and "_" (≥ 3 chars); "-" and "." are tolerated.
const NAME = /^[A-Za-z_][\w.-]{0,63}$/;
const MAX_MEMBERS = 32;
const MAX_ITEMS = 50;
const MAX_DEPTH = 4;
/** A string longer than the longest detail there can be (max_detail_length ≤ 4096) is a blob, not a value. */
const MAX_STRING = 4096;

const DROP = Symbol("drop");

export function publicExtensions(extensions: Record<string, unknown> | undefined, maxLength: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (extensions === undefined) return out;
  let count = 0;
  for (const [name, value] of Object.entries(extensions)) {
    if (count >= MAX_MEMBERS) break;
    // Names are checked like nested keys: a name like "srv01.corp" says as much as a value.
    if (RESERVED.has(name) || UNSAFE.has(name) || DEBUG.has(name.toLowerCase().replace(/[-_]/g, "")) || !NAME.test(name)) continue;
    const texts: string[] = [name];
    const safe = publicValue(value, maxLength, 0, texts);
    if (safe === DROP || leaky(texts)) continue;
    out[name] = safe;
    count += 1;
  }
  return out;
}

/**
 * One pass of the leak filter over every name and string of a member, a line
 * break between them; only when it finds something is each checked alone, so
 * a member is dropped exactly when one of its texts leaks.
 */
function leaky(texts: readonly string[]): boolean {
  if (!looksLeaky(texts.join("\n"))) return false;
  return texts.some((text) => looksLeaky(text));
}

/** The member made public, its texts (stripped, not yet bounded) collected for the leak filter. */
function publicValue(value: unknown, maxLength: number, depth: number, texts: string[]): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : DROP;
  if (typeof value === "string") {
    if (value.length > MAX_STRING) return DROP;
    const text = stripControls(value);
    texts.push(text);
    return boundLength(text, maxLength);
  }
  if (typeof value !== "object" || depth >= MAX_DEPTH) return DROP;
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return DROP;
    const items: unknown[] = [];
    for (const item of value) {
      const safe = publicValue(item, maxLength, depth + 1, texts);
      if (safe === DROP) return DROP;
      items.push(safe);
    }
    return items;
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_ITEMS) return DROP;
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    // "__proto__" is skipped: a client merging the problem naively would pollute its prototype.
    if (key === "__proto__") continue;
    if (stripControls(key) !== key) return DROP;
    texts.push(key);
    const safe = publicValue(item, maxLength, depth + 1, texts);
    if (safe === DROP) return DROP;
    out[key] = safe;
  }
  return out;
}
