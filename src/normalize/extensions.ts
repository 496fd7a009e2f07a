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
// RFC 9457 §3.2 recommends names of letters, digits and "_" (≥ 3 chars); "-" and "." are tolerated.
const NAME = /^[A-Za-z_][\w.-]{0,63}$/;
const MAX_MEMBERS = 32;
const MAX_ITEMS = 50;
const MAX_DEPTH = 4;

const DROP = Symbol("drop");

export function publicExtensions(extensions: Record<string, unknown> | undefined, maxLength: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (extensions === undefined) return out;
  let count = 0;
  for (const [name, value] of Object.entries(extensions)) {
    if (count >= MAX_MEMBERS) break;
    // Names are checked like nested keys: a name like "srv01.corp" says as much as a value.
    if (RESERVED.has(name) || UNSAFE.has(name) || !NAME.test(name) || looksLeaky(name)) continue;
    const safe = publicValue(value, maxLength, 0);
    if (safe === DROP) continue;
    out[name] = safe;
    count += 1;
  }
  return out;
}

function publicValue(value: unknown, maxLength: number, depth: number): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : DROP;
  if (typeof value === "string") {
    const text = stripControls(value);
    return looksLeaky(text) ? DROP : boundLength(text, maxLength);
  }
  if (typeof value !== "object" || depth >= MAX_DEPTH) return DROP;
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return DROP;
    const items: unknown[] = [];
    for (const item of value) {
      const safe = publicValue(item, maxLength, depth + 1);
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
    if (stripControls(key) !== key || looksLeaky(key)) return DROP;
    const safe = publicValue(item, maxLength, depth + 1);
    if (safe === DROP) return DROP;
    out[key] = safe;
  }
  return out;
}
