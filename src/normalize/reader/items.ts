/**
 * Lists of errors, wherever the body holds them: each item becomes one Entry
 * with the item's message (else its code) and the field it names.
 */
import { restatesStatus } from "../status-text";
import { looksLikeUri } from "../uri";
import { fromLoc, fromPath, fromPointer, fromSource, locationWording } from "./fields";
import type { FieldRef } from "./fields";
import type { Entry, JsonRecord, Precedence } from "./types";
import { LIMITS, isRecord } from "./types";
import { isClassName, isIdentifier, isKindWord, isUpperSnake, normalKey, roleOf } from "./vocabulary";
import type { Role } from "./vocabulary";

export interface ReadContext {
  status: number;
  rule: Precedence;
  entries: Entry[];
}

export interface ListResult {
  read: number;
  /** Items that said nothing the reader understands, kept as the origin sent them. */
  unread: unknown[];
  /** For a one-item list: the members its item used (its others stay with the problem). */
  consumed?: Set<string>;
}

/** One list's items: strings are messages, objects are errors, lists are flattened. */
export function readList(items: readonly unknown[], depth: number, ctx: ReadContext, fallback?: FieldRef): ListResult {
  const result: ListResult = { read: 0, unread: [] };
  const single = items.length === 1 ? new Set<string>() : undefined;
  let seen = 0;
  for (const item of items) {
    if (++seen > LIMITS.items || ctx.entries.length >= LIMITS.entries) break;
    if (typeof item === "string") {
      if (item.trim() === "") continue;
      pushMessage(ctx, item, fallback);
      result.read += 1;
    } else if (isRecord(item)) {
      if (readItem(item, depth + 1, ctx, fallback, single)) result.read += 1;
      else result.unread.push(item);
    } else if (Array.isArray(item) && depth < LIMITS.depth) {
      if (readList(item, depth + 1, ctx, fallback).read > 0) result.read += 1;
      else result.unread.push(item);
    } else if (item !== null) {
      result.unread.push(item);
    }
  }
  if (single !== undefined && result.read === 1) result.consumed = single;
  return result;
}

/** class-validator messages start with the property path: "email must be an email", "property x should not exist". */
function messagePointer(message: string): FieldRef | undefined {
  const extra = /^property (\S+) should not exist$/.exec(message);
  const path = extra?.[1] ?? /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\.\d+|\[\d+\])*) (?:must|should)\b/.exec(message)?.[1];
  const field = path === undefined ? undefined : fromPath(path);
  // The message already names the field: no label, so the joined detail does not say it twice.
  return field === undefined ? undefined : { pointer: field.pointer };
}

export function pushMessage(ctx: ReadContext, message: string, field: FieldRef | undefined): void {
  const ref = field ?? messagePointer(message);
  const entry: Entry = { message, pointer: ref?.pointer ?? "" };
  if (ref?.label !== undefined) entry.label = ref.label;
  if (ref?.where !== undefined) entry.where = ref.where;
  ctx.entries.push(entry);
}

interface Pick {
  text: string;
  tier: number;
  rank: number;
  key: string;
}

/** What one pass over an item's members found. */
interface ItemReading {
  message?: Pick;
  code?: Pick;
  title?: string;
  fields: { rank: number; key: string; value: unknown }[];
  lists: { key: string; value: unknown[] }[];
  messageList?: { key: string; value: string[] };
  located: boolean;
  /** Members used, tracked only when the item's other members stay with the problem. */
  consumed?: Set<string>;
}

function better(current: Pick | undefined, tier: number, rank: number): boolean {
  return current === undefined || tier < current.tier || (tier === current.tier && rank < current.rank);
}

function consume(reading: ItemReading, key: string): void {
  reading.consumed?.add(key);
}

/** One pass over an item's members, filing each under what it means; `nested` reads an item's `extensions` or `error`. */
function scanItem(record: JsonRecord, ctx: ReadContext, reading: ItemReading, nested: boolean): void {
  let seen = 0;
  for (const key in record) {
    if (!Object.hasOwn(record, key) || ++seen > LIMITS.members) continue;
    const value = record[key];
    if (!nested && ctx.rule.itemFraming?.includes(key) === true) {
      consume(reading, key);
      if (isRecord(value)) scanItem(value, ctx, reading, true);
      continue;
    }
    const k = normalKey(key);
    const role = roleOf(k);
    if (typeof value === "string") {
      scanString(key, k, value, role, ctx, reading, nested);
    } else if (typeof value === "number") {
      if (role.code !== undefined && Number.isInteger(value) && value !== ctx.status) {
        if (better(reading.code, 3, role.code)) reading.code = { text: String(value), tier: 3, rank: role.code, key };
      } else if (role.status === true || role.code !== undefined) consume(reading, key);
    } else if (nested) {
      continue;
    } else if (Array.isArray(value)) {
      if (role.field !== undefined && !(ctx.rule.responsePaths === true && k === "path")) {
        reading.fields.push({ rank: role.field, key, value });
      } else if (role.list === true || role.message !== undefined) {
        if (value.every((v) => typeof v === "string")) reading.messageList ??= { key, value: value as string[] };
        else reading.lists.push({ key, value });
      }
    } else if (isRecord(value)) {
      if (role.field !== undefined) reading.fields.push({ rank: role.field, key, value });
      // A code one level down: GraphQL's `extensions`, an item's own `error` or `meta`.
      else if (k === "extensions" || k === "error" || k === "meta") {
        const before = reading.code;
        scanItem(value, ctx, reading, true);
        if (reading.code !== before) consume(reading, key);
      }
    }
  }
}

function scanString(key: string, k: string, value: string, role: Role, ctx: ReadContext, reading: ItemReading, nested: boolean): void {
  if (value.trim() === "") return;
  const penalty = nested ? 50 : 0;
  if (role.message !== undefined) {
    if (nested && k !== "message" && k !== "detail") return;
    const rank = role.message.rank + penalty;
    if (better(reading.message, role.message.tier, rank)) reading.message = { text: value, tier: role.message.tier, rank, key };
    if (k === "title") reading.title = value;
    return;
  }
  if (role.code !== undefined) {
    const rank = role.code + penalty;
    if (value.trim() !== String(ctx.status) && better(reading.code, 1, rank)) reading.code = { text: value, tier: 1, rank, key };
    return;
  }
  if (role.location === true) reading.located = true;
  if (nested) return;
  if (role.ambiguous !== undefined) {
    const rank = role.ambiguous;
    if (k === "status") {
      if (isUpperSnake(value) && better(reading.code, 2, rank)) reading.code = { text: value, tier: 2, rank, key };
      else consume(reading, key);
      return;
    }
    if (k === "name" && !isClassName(value)) {
      reading.fields.push({ rank: role.field ?? 99, key, value });
      return;
    }
    if (isIdentifier(value) && !looksLikeUri(value)) {
      if (k === "error" && restatesStatus(value, ctx.status)) consume(reading, key);
      else if (!isKindWord(value) && better(reading.code, 2, rank)) reading.code = { text: value, tier: 2, rank, key };
    } else if ((k === "error" || k === "reason") && !looksLikeUri(value) && better(reading.message, 1, 40 + rank)) {
      reading.message = { text: value, tier: 1, rank: 40 + rank, key };
    }
    return;
  }
  if (ctx.rule.responsePaths === true && k === "path") return;
  if (role.field !== undefined || role.location === true) reading.fields.push({ rank: role.field ?? 98, key, value });
}

/**
 * The first field member that names a field, in FIELD_KEYS order; `fields`
 * and `memberNames` may name several. A location beside it (`locationType`,
 * `in`, or a `location` that is a location word, as express-validator writes
 * it) says where the field lives.
 */
function fieldsOf(record: JsonRecord, reading: ItemReading): { refs: FieldRef[]; key?: string } {
  const explicit = reading.located ? locationWording(record, ["locationType", "location_type", "in"]) : undefined;
  const beside = typeof record.location === "string" ? locationWording(record, ["location"]) : undefined;
  const where = (explicit ?? beside) || undefined;
  if (reading.fields.length > 1) reading.fields.sort((a, b) => a.rank - b.rank);
  for (const { key, value } of reading.fields) {
    const k = normalKey(key);
    if (k === "locationtype" || k === "in" || (k === "location" && explicit === undefined && beside !== undefined)) continue;
    let refs: FieldRef[];
    if (k === "pointer" || k === "instancepath") refs = one(fromPointer(value) ?? fromPath(value));
    else if (k === "source") refs = one(fromSource(value));
    else if (k === "loc") refs = one(fromLoc(value));
    else if (k === "datapath" && typeof value === "string") refs = one(fromPath(value.replace(/^\./, "")));
    else if ((k === "fields" || k === "membernames") && Array.isArray(value)) {
      refs = value.flatMap((v) => one(typeof v === "string" ? fromPath(v, where) : undefined));
    } else refs = one(fromPath(value, where));
    if (refs.length > 0) return { refs, key };
  }
  return { refs: [] };
}

function one(ref: FieldRef | undefined): FieldRef[] {
  return ref === undefined ? [] : [ref];
}

/**
 * One error object in a list or map: its best message (else its code) and
 * the field it names. False when it says nothing the reader understands.
 * `consumed`, when given, collects the members the entry used.
 */
export function readItem(record: JsonRecord, depth: number, ctx: ReadContext, fallback?: FieldRef, consumed?: Set<string>): boolean {
  const reading: ItemReading = { fields: [], lists: [], located: false };
  if (consumed !== undefined) reading.consumed = consumed;
  scanItem(record, ctx, reading, false);
  const { refs, key: fieldKey } = fieldsOf(record, reading);
  if (fieldKey !== undefined) {
    consume(reading, fieldKey);
    // The location members went into the pointer or the entry's wording.
    for (const key of ["location", "locationType", "location_type", "in"]) if (key in record) consume(reading, key);
  }
  const fields = refs.length > 0 ? refs : fallback === undefined ? [] : [fallback];
  let produced = false;
  if (depth < LIMITS.depth) {
    for (const list of reading.lists) {
      if (readList(list.value, depth, ctx, fields[0]).read === 0) continue;
      consume(reading, list.key);
      produced = true;
    }
  }
  const { message, code } = reading;
  if (message !== undefined) consume(reading, message.key);
  if (code !== undefined) consume(reading, code.key);
  let texts: readonly (string | undefined)[] = message === undefined ? [] : [message.text];
  if (message === undefined && reading.messageList !== undefined) {
    texts = reading.messageList.value.filter((m) => m.trim() !== "");
    if (texts.length > 0) consume(reading, reading.messageList.key);
  }
  // Google: `@type`d details other than field violations are kept as they came, not listed.
  if (ctx.rule.typedDetails === true && typeof record["@type"] === "string") return produced;
  if (texts.length === 0 && code === undefined) return produced;
  const targets: readonly FieldRef[] = fields.length > 0 ? fields : [{ pointer: "" }];
  for (const text of texts.length > 0 ? texts : [undefined]) {
    for (const field of targets) {
      if (ctx.entries.length >= LIMITS.entries) return true;
      const entry: Entry = { pointer: field.pointer };
      if (text !== undefined) entry.message = text;
      if (code !== undefined) entry.code = code.text;
      if (field.label !== undefined) entry.label = field.label;
      if (field.where !== undefined) entry.where = field.where;
      if (reading.title !== undefined) entry.title = reading.title;
      ctx.entries.push(entry);
    }
  }
  return true;
}

/** A member that is an error object rather than a field map: it has a message or code member, or lists errors. */
export function isErrorObject(record: JsonRecord, status: number): boolean {
  let seen = 0;
  for (const key in record) {
    if (!Object.hasOwn(record, key) || ++seen > 32) break;
    const value = record[key];
    const k = normalKey(key);
    const role = roleOf(k);
    if (typeof value === "string") {
      if (role.message !== undefined || role.code !== undefined || key === "@type") return true;
      if ((k === "error" || k === "reason" || k === "type") && !looksLikeUri(value)) return true;
    } else if (typeof value === "number") {
      if (role.code !== undefined && value !== status) return true;
    } else if (Array.isArray(value)) {
      if (value.length > 0 && role.list === true) return true;
    } else if (isRecord(value) && (k.includes("error") || k === "details")) return true;
  }
  return false;
}
