/**
 * Maps of field → messages (Rails, Django REST Framework, Laravel, ASP.NET,
 * Jira, JSend): keys are field paths, values messages, lists of messages,
 * error objects, or nested maps (DRF's nested serializers, with list indexes).
 */
import { pointerFromTokens, tokensFromPath } from "../json-pointer";
import type { FieldRef } from "./fields";
import { isErrorObject, pushMessage, readItem } from "./items";
import type { ReadContext } from "./items";
import type { JsonRecord } from "./types";
import { LIMITS, isRecord } from "./types";
import { isNonFieldKey } from "./vocabulary";

/**
 * The entries of one map; returns how many were read. `bare` (the body
 * itself is the map) takes only lists, never a lone string, so an ordinary
 * object is not read as one.
 */
export function readFieldMap(
  record: JsonRecord,
  prefix: readonly string[],
  depth: number,
  ctx: ReadContext,
  bare: boolean,
  label = "",
): number {
  let read = 0;
  let seen = 0;
  for (const key in record) {
    if (!Object.hasOwn(record, key) || ++seen > LIMITS.members || ctx.entries.length >= LIMITS.entries) break;
    const value = record[key];
    // `non_field_errors`, `__all__`, `base`: about the request as a whole.
    const own = !isNonFieldKey(key);
    const path = own ? [...prefix, ...tokensFromPath(key)] : prefix;
    // The label is the key as the origin wrote it ("items[0].quantity"), under its parents' ("address.street").
    const name = own ? (label === "" ? key : `${label}.${key}`) : label;
    const field: FieldRef = path.length === 0 ? { pointer: "" } : { pointer: pointerFromTokens(path), label: name };
    if (typeof value === "string") {
      if (!bare && value.trim() !== "") {
        pushMessage(ctx, value, field);
        read += 1;
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === "string" && item.trim() !== "") {
          pushMessage(ctx, item, field);
          read += 1;
        } else if (isRecord(item) && depth < LIMITS.depth) {
          read += readValue(item, [...path, String(i)], depth, ctx, bare, `${name}[${i}]`, field);
        }
      });
    } else if (isRecord(value) && depth < LIMITS.depth) {
      read += readValue(value, path, depth, ctx, bare, name, field);
    }
  }
  return read;
}

/** An object under a field: its error (DRF's `{message, code}`, Mongoose's validator error), or a nested map. */
function readValue(value: JsonRecord, path: readonly string[], depth: number, ctx: ReadContext, bare: boolean, label: string, field: FieldRef): number {
  if (isErrorObject(value, ctx.status)) return readItem(value, depth + 1, ctx, field) ? 1 : 0;
  return readFieldMap(value, path, depth + 1, ctx, bare, label);
}
