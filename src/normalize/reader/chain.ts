/**
 * The general reader: one pass over the body and the envelopes inside it
 * (`error`, `fault`, `data`, `details` …, one or two levels down), filing
 * every member under what its name and shape say it is — a message, a code,
 * the status again, a list or map of field errors, another envelope, or
 * something else, which stays with the origin's other members.
 */
import { restatesStatus } from "../status-text";
import { looksLikeUri } from "../uri";
import { fromPath, fromSource } from "./fields";
import type { FieldRef } from "./fields";
import { readFieldMap } from "./field-maps";
import { isErrorObject, readList } from "./items";
import type { ReadContext } from "./items";
import type { ChainNode, JsonRecord, MessageCandidate, Precedence, Reading } from "./types";
import { LIMITS, isRecord } from "./types";
import { AMBIGUOUS, isIdentifier, isKindWord, isNonFieldKey, isUpperSnake, normalKey, roleOf } from "./vocabulary";
import type { Role } from "./vocabulary";

const TYPE_RANK = AMBIGUOUS.indexOf("type");
const STATUS_RANK = AMBIGUOUS.indexOf("status");

/** Envelopes that *are* the error: their other members stand beside the problem's own. */
function lifts(key: string): boolean {
  return key === "error" || key === "err" || key === "fault" || key === "problem" || (key.endsWith("error") && key !== "innererror");
}

function node(record: JsonRecord, depth: number, key?: string, lift = true): ChainNode {
  const result: ChainNode = { record, depth, lift, consumed: new Set(), children: [], items: [] };
  if (key !== undefined) result.key = key;
  return result;
}

interface Walk {
  ctx: ReadContext;
  reading: Reading;
  order: number;
}

export function readBody(value: unknown, status: number, rule: Precedence): Reading {
  const root = node(isRecord(value) ? value : {}, 0);
  const reading: Reading = { root, messages: [], codes: [], entries: [] };
  const walk: Walk = { ctx: { status, rule, entries: reading.entries }, reading, order: 0 };
  if (Array.isArray(value)) {
    // A top-level list of errors (Salesforce) or messages.
    const list = readList(value, 0, walk.ctx);
    const [only] = value;
    if (isRecord(only) && list.consumed !== undefined) root.items.push({ record: only, consumed: list.consumed });
  } else if (isRecord(value)) {
    // DRF and friends answer with the field map itself: {"email": ["This field is required."]}.
    if (bareFieldMap(value) && readFieldMap(value, [], 0, walk.ctx, true) > 0) {
      reading.bare = true;
      for (const key of Object.keys(value)) root.consumed.add(key);
    } else {
      readObject(root, walk);
    }
  }
  return reading;
}

/**
 * Every member a list or object that the vocabulary would not read as a list
 * of errors or an envelope: a candidate bare field map (`name` or `type`
 * holding a list is a field like any other).
 */
function bareFieldMap(record: JsonRecord): boolean {
  let found = false;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = record[key];
    if (typeof value !== "object" || value === null) return false;
    if (!isNonFieldKey(key)) {
      const role = roleOf(normalKey(key));
      const read = Array.isArray(value) ? role.list === true || role.message !== undefined : role.envelope === true || role.fieldMap === true || role.list === true;
      if (read) return false;
    }
    found = true;
  }
  return found;
}

/** The member's name as it will stand among the extensions, when it will: the body's and lifted envelopes'. */
function memberName(at: ChainNode, key: string): string | undefined {
  return at.lift ? key : undefined;
}

function addMessage(walk: Walk, at: ChainNode, key: string, text: string, tier: number, rank: number): void {
  const candidate: MessageCandidate = { text, tier, depth: at.depth, rank: rank + walk.order++ / 1e6 };
  const member = memberName(at, key);
  if (member !== undefined) candidate.member = member;
  walk.reading.messages.push(candidate);
  // Every candidate is consumed here; the ones not chosen come back as extensions (resolve.ts).
  at.consumed.add(key);
}

function addCode(walk: Walk, at: ChainNode, key: string, value: string, tier: number, rank: number): void {
  if (value.trim() === "" || value.trim() === String(walk.ctx.status)) return;
  walk.reading.codes.push({ value, tier, depth: at.depth, rank: rank + walk.order++ / 1e6, holder: at, key });
}

function readObject(at: ChainNode, walk: Walk): void {
  const { rule } = walk.ctx;
  let field: { key: string; ref: FieldRef } | undefined;
  const firstMessage = walk.reading.messages.length;
  let seen = 0;
  for (const key in at.record) {
    if (!Object.hasOwn(at.record, key) || ++seen > LIMITS.members) continue;
    const value = at.record[key];
    if (at.depth === 0 && rule.framing?.includes(key)) {
      at.consumed.add(key);
    } else if (at.depth === 0 && rule.problemMembers === true && (key === "type" || key === "title" || key === "instance")) {
      // RFC 9457 §3.1: these three mean what the RFC says, never a message; a `type` that is a bare
      // name (§3.1.1 wants a URI) is a code in disguise.
      at.consumed.add(key);
      if (typeof value !== "string") continue;
      if (key === "type" && !looksLikeUri(value)) addCode(walk, at, key, value, 2, TYPE_RANK);
      else walk.reading[key] = value;
    } else if (key === "__type" && typeof value === "string") {
      // AWS JSON protocols: `com.amazon.coral.validate#ValidationException`, maybe with ":<doc URI>".
      const shape = (value.split("#").pop() ?? value).split(":")[0] ?? value;
      addCode(walk, at, key, shape, 0, 0);
    } else {
      const k = normalKey(key);
      const role = roleOf(k);
      if (typeof value === "string") readString(at, walk, key, k, role, value);
      else if (typeof value === "number") readNumber(at, walk, key, role, value);
      else if (Array.isArray(value)) readArray(at, walk, key, role, value);
      else if (isRecord(value)) readRecord(at, walk, key, k, role, value);
      if (field === undefined && !at.consumed.has(key) && role.ownField === true) {
        const ref = k === "source" ? fromSource(value) : fromPath(value);
        if (ref !== undefined) field = { key, ref };
      }
    }
  }
  // Stripe's `param`: the error object names its own field; its message is that field's error.
  const best = field === undefined ? undefined : bestOf(walk.reading.messages, firstMessage, at.depth);
  if (field !== undefined && best !== undefined && walk.ctx.entries.length < LIMITS.entries) {
    walk.ctx.entries.push({ message: best.text, ...field.ref });
    at.consumed.add(field.key);
  }
}

/** The best of the messages from `from` on that belong to an object at `depth` (not to the envelopes inside it). */
function bestOf(candidates: readonly MessageCandidate[], from: number, depth: number): MessageCandidate | undefined {
  let best: MessageCandidate | undefined;
  for (let i = from; i < candidates.length; i++) {
    const c = candidates[i];
    if (c === undefined || c.depth !== depth) continue;
    if (best === undefined || c.tier < best.tier || (c.tier === best.tier && c.rank < best.rank)) best = c;
  }
  return best;
}

function readString(at: ChainNode, walk: Walk, key: string, k: string, role: Role, value: string): void {
  const status = walk.ctx.status;
  if (value.trim() === "") return;
  if (role.status === true) {
    // The problem's status is the origin's; a status member says it again (`"fail"`, `"Failure"`), names it
    // (Google: INVALID_ARGUMENT), or, rarely, says what went wrong in words.
    if (k === "status" && isUpperSnake(value)) addCode(walk, at, key, value, 2, STATUS_RANK);
    else if (value.includes(" ") && !restatesStatus(value, status)) return addMessage(walk, at, key, value, 2, 90);
    at.consumed.add(key);
    return;
  }
  if (role.message !== undefined) {
    const restates = restatesStatus(value, status);
    if (k === "title" && restates) at.consumed.add(key);
    else addMessage(walk, at, key, value, restates ? 3 : role.message.tier, role.message.rank);
    return;
  }
  if (role.code !== undefined) return addCode(walk, at, key, value, 1, role.code);
  if (role.ambiguous === undefined) return;
  const identifier = isIdentifier(value) && !looksLikeUri(value);
  if ((k === "error" || k === "name") && restatesStatus(value, status)) {
    // Boom's and Spring's `error: "Bad Request"`: only the reason phrase.
    at.consumed.add(key);
  } else if (identifier && isKindWord(value)) {
    // `"type": "error"` says what the object is, not which error.
    at.consumed.add(key);
  } else if (identifier) {
    addCode(walk, at, key, value, 2, role.ambiguous);
  } else if ((k === "error" || k === "reason") && !looksLikeUri(value)) {
    addMessage(walk, at, key, value, restatesStatus(value, status) ? 3 : 1, 40 + role.ambiguous);
  }
}

function readNumber(at: ChainNode, walk: Walk, key: string, role: Role, value: number): void {
  if (role.status === true) {
    if (Number.isInteger(value) && value >= 100 && value <= 599) at.consumed.add(key);
    return;
  }
  if (role.code === undefined || !Number.isInteger(value)) return;
  // `"code": 404` on a 404 merely repeats the status.
  if (value === walk.ctx.status) at.consumed.add(key);
  else addCode(walk, at, key, String(value), 3, role.code);
}

function readArray(at: ChainNode, walk: Walk, key: string, role: Role, value: unknown[]): void {
  if (role.list !== true && role.message === undefined) return;
  if (value.length === 0) {
    at.consumed.add(key); // `"errors": []` says there is nothing to list
    return;
  }
  const list = readList(value, at.depth, walk.ctx);
  if (list.read === 0) return;
  at.consumed.add(key);
  if (list.unread.length > 0) (at.replaced ??= new Map()).set(key, list.unread);
  const [only] = value;
  // One error in a list is the error: its other members (JSON:API `id`, `links`, `meta`) stay with the problem.
  if (isRecord(only) && list.consumed !== undefined) at.items.push({ record: only, consumed: list.consumed });
}

function readRecord(at: ChainNode, walk: Walk, key: string, k: string, role: Role, value: JsonRecord): void {
  const { ctx } = walk;
  // OData v2 (SAP Gateway): `"message": {"lang": "en", "value": "…"}`.
  const localized = role.message === undefined ? undefined : (value.value ?? value.text);
  if (role.message !== undefined && typeof localized === "string" && localized.trim() !== "") {
    return addMessage(walk, at, key, localized, restatesStatus(localized, ctx.status) ? 3 : role.message.tier, role.message.rank);
  }
  if (at.depth === 0 && key === "data" && ctx.rule.fieldMapData === true) {
    if (readFieldMap(value, [], 1, ctx, false) > 0) at.consumed.add(key);
    return;
  }
  if (role.envelope !== true && role.fieldMap !== true && role.list !== true) return;
  if (at.depth < LIMITS.chainDepth && isErrorObject(value, ctx.status)) {
    const child = node(value, at.depth + 1, key, at.lift && lifts(k));
    at.children.push(child);
    at.consumed.add(key);
    readObject(child, walk);
  } else if (role.fieldMap === true) {
    if (readFieldMap(value, [], at.depth + 1, ctx, false) > 0) at.consumed.add(key);
  }
}
