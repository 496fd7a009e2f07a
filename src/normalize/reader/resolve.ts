/**
 * From what the reader collected to what the origin said: the messages in
 * the order they are tried for `detail`, the code, the field errors, and
 * every member that found no place, kept as an extension.
 *
 * Precedence for `detail`: messages of the body and its envelopes (by tier,
 * then the nearer the top the better, then the name's rank); then the listed
 * errors joined; then texts that only restate the status; then, only if none
 * of those passes the leak filter, message-like members anywhere (deep.ts).
 */
import type { DetailMessage, FieldError, OriginError } from "../dialects/shape";
import { setMember } from "../dialects/shape";
import { deepMessages } from "./deep";
import type { ChainNode, CodeCandidate, Entry, JsonRecord, MessageCandidate, Precedence, Reading } from "./types";
import { LIMITS } from "./types";

const MAX_CODE_LENGTH = 128;
/** Problem details' own members: never a message (a problem's `title` is its title). */
const PROBLEM_MEMBERS = ["type", "title", "instance"];

function byRank(a: { tier: number; depth: number; rank: number }, b: { tier: number; depth: number; rank: number }): number {
  return a.tier - b.tier || a.depth - b.depth || a.rank - b.rank;
}

/** An entry's own text: its message (else its code), and where the field lives when not in the body. */
export function entryDetail(entry: Entry): string | undefined {
  const text = entry.message ?? entry.code;
  if (text === undefined) return undefined;
  return entry.where === undefined ? text : `${text} (${entry.where})`;
}

/** An entry in the joined detail: a field named only by a map key or `field` member is named in the text. */
function summary(entry: Entry): string | undefined {
  const text = entryDetail(entry);
  if (text === undefined || entry.label === undefined) return text;
  return text.toLowerCase().includes(entry.label.toLowerCase()) ? text : `${entry.label}: ${text}`;
}

/** The entries' summaries, as many as fill `length` characters: the joined detail is cut there anyway. */
function summaries(entries: readonly Entry[], length: number): string[] {
  const out: string[] = [];
  let total = 0;
  for (const entry of entries) {
    if (total > length) break;
    const text = summary(entry);
    if (text === undefined || text.trim() === "") continue;
    out.push(text);
    total += text.length + 2;
  }
  return out;
}

function shared<T>(entries: readonly Entry[], pick: (entry: Entry) => T | undefined): T | undefined {
  const [first] = entries;
  if (first === undefined) return undefined;
  const value = pick(first);
  return entries.every((e) => pick(e) === value) ? value : undefined;
}

export function resolve(value: unknown, status: number, reading: Reading, rule: Precedence): OriginError {
  const origin: OriginError = { dialect: rule.dialect };
  const ranked = reading.messages.length > 1 ? [...reading.messages].sort(byRank) : reading.messages;
  const messages: DetailMessage[] = [];
  for (const m of ranked) if (m.tier < 3) messages.push(textOf(m));
  const { entries } = reading;
  const [first] = entries;
  if (entries.length === 1 && first !== undefined) {
    const text = summary(first);
    if (text !== undefined && text.trim() !== "") messages.push({ text });
  } else if (entries.length > 1) {
    // Built on first use, and again only for a reader that wants more (the log line, then the detail).
    let built: { parts: string[]; length: number } | undefined;
    messages.push({
      parts: (length) => {
        if (built === undefined || built.length < length) built = { parts: summaries(entries, length), length };
        return built.parts;
      },
    });
  }
  for (const m of ranked) if (m.tier >= 3) messages.push({ text: m.text });
  origin.messages = messages;
  // The log and the detail both may ask; the body is walked once, and only if asked.
  let deep: string[] | undefined;
  origin.moreMessages = () => {
    const skip = [...(rule.problemMembers === true ? PROBLEM_MEMBERS : []), ...(rule.framing ?? [])];
    return (deep ??= deepMessages(value, status, skip));
  };

  const code = chooseCode(reading.codes, rule) ?? shared(reading.entries, (e) => e.code);
  if (code !== undefined) origin.code = code;
  if (reading.type !== undefined) origin.type = reading.type;
  const title = reading.title ?? (rule.sharedTitle === true ? shared(reading.entries, (e) => e.title) : undefined);
  if (title !== undefined) origin.title = title;
  if (reading.instance !== undefined) origin.instance = reading.instance;

  // `errors` is sent when it adds something: a field, several errors, or one that says more than the message above it.
  const errors = fieldErrors(reading.entries);
  const [only] = errors;
  const above = ranked[0] !== undefined && ranked[0].tier < 3 ? ranked[0].text : undefined;
  if (errors.length > 1 || (only !== undefined && (only.pointer !== "" || (above !== undefined && only.detail !== above)))) origin.errors = errors;

  const extensions = leftovers(reading.root);
  // A message not chosen is still what the origin said: it stays as the member it was (tier 3 only restates the status).
  for (let i = 1; i < ranked.length; i++) {
    const m = ranked[i];
    if (m !== undefined && m.tier < 3 && m.member !== undefined && !Object.hasOwn(extensions, m.member)) setMember(extensions, m.member, m.text);
  }
  renameReserved(extensions);
  if (Object.keys(extensions).length > 0) origin.extensions = extensions;
  return origin;
}

function textOf(m: MessageCandidate): DetailMessage {
  return m.member === undefined ? { text: m.text } : { text: m.text, member: m.member };
}

/** The best code; its member is consumed, the others stay as extensions (Stripe's `type`, a numeric `code`). */
function chooseCode(codes: readonly CodeCandidate[], rule: Precedence): string | undefined {
  if (rule.code !== undefined) return rule.code;
  const ranked = codes.length > 1 ? [...codes].sort(byRank) : codes;
  for (const candidate of ranked) {
    if (candidate.value.trim().length > MAX_CODE_LENGTH) continue;
    candidate.holder.consumed.add(candidate.key);
    return candidate.value;
  }
  return undefined;
}

function fieldErrors(entries: readonly Entry[]): FieldError[] {
  const out: FieldError[] = [];
  for (const entry of entries) {
    const detail = entryDetail(entry);
    if (detail !== undefined && detail.trim() !== "") out.push({ detail, pointer: entry.pointer });
  }
  return out;
}

/**
 * What no rule consumed, as extensions: the body's members, a lifted
 * envelope's members beside them (the envelope's win: they describe the
 * error), another envelope's under its own name.
 */
function leftovers(at: ChainNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let seen = 0;
  for (const key in at.record) {
    if (!Object.hasOwn(at.record, key) || ++seen > LIMITS.members) continue;
    const replaced = at.replaced?.has(key) === true;
    if (at.consumed.has(key) && !replaced) continue;
    setMember(out, key, replaced ? at.replaced?.get(key) : at.record[key]);
  }
  for (const item of at.items) merge(out, rest(item.record, item.consumed));
  for (const child of at.children) {
    const inner = leftovers(child);
    if (child.lift) merge(out, inner);
    else if (child.key !== undefined && Object.keys(inner).length > 0) setMember(out, child.key, inner);
  }
  return out;
}

function rest(record: JsonRecord, consumed: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in record) if (Object.hasOwn(record, key) && !consumed.has(key)) setMember(out, key, record[key]);
  return out;
}

function merge(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const key in from) if (Object.hasOwn(from, key)) setMember(into, key, from[key]);
}

/** `code` and `type` are the gateway's names; an origin's other code or type keeps its value under a name of its own. */
function renameReserved(extensions: Record<string, unknown>): void {
  for (const [name, renamed] of [["code", "origin_code"], ["type", "error_type"]] as const) {
    if (!Object.hasOwn(extensions, name)) continue;
    if (!Object.hasOwn(extensions, renamed)) setMember(extensions, renamed, extensions[name]);
    delete extensions[name];
  }
}
