/**
 * Where a field error points: the member an item names its field by, in any
 * of the forms origins use, becomes an RFC 6901 pointer into the request body.
 * A field outside the body (a query parameter, a header) has no pointer; the
 * entry's detail says where it is instead.
 */
import { normalizePointer, pointerFromTokens, tokensFromPath } from "../json-pointer";
import { requestLocation } from "./vocabulary";
import type { JsonRecord } from "./types";
import { isRecord } from "./types";

export interface FieldRef {
  pointer: string;
  /** The field as the origin named it, when it named it (not when it wrote a pointer). */
  label?: string;
  where?: string;
}

const WHOLE: FieldRef = { pointer: "" };

/** A path given as a list of steps: Pydantic's `loc`, Zod's and Joi's `path` (`["items", 0, "name"]`). */
function stepsOf(value: readonly unknown[]): string[] | undefined {
  const steps: string[] = [];
  for (const step of value) {
    if (typeof step === "string") steps.push(step);
    else if (typeof step === "number" && Number.isInteger(step)) steps.push(String(step));
    else return undefined;
  }
  return steps;
}

function labelOf(tokens: readonly string[]): string {
  let label = "";
  for (const token of tokens) label += /^\d+$/.test(token) ? `[${token}]` : label === "" ? token : `.${token}`;
  return label;
}

function named(tokens: readonly string[], where?: string): FieldRef {
  if (where !== undefined) {
    const name = tokens.join(".");
    return name === "" ? WHOLE : { pointer: "", where: `${where} "${name}"` };
  }
  return tokens.length === 0 ? WHOLE : { pointer: pointerFromTokens(tokens), label: labelOf(tokens) };
}

/**
 * FastAPI/Pydantic `loc`: the first step is where in the request
 * (`["body", "email"]` → `/email`, `["query", "limit"]` → query parameter "limit").
 */
export function fromLoc(value: unknown): FieldRef | undefined {
  const steps = Array.isArray(value) ? stepsOf(value) : typeof value === "string" ? tokensFromPath(value) : undefined;
  if (steps === undefined) return undefined;
  const [first, ...rest] = steps;
  const location = first === undefined ? undefined : requestLocation(first);
  if (location === undefined) return named(steps);
  return location.body ? named(rest) : named(rest, location.name);
}

/** A dotted, bracketed, JSONPath or form-style path, or a list of steps. */
export function fromPath(value: unknown, where?: string): FieldRef | undefined {
  if (typeof value === "string") {
    const trimmed = value.trim();
    if ((trimmed.startsWith("/") || trimmed.startsWith("#")) && where === undefined) {
      const pointer = normalizePointer(trimmed);
      if (pointer !== undefined) return { pointer };
    }
    return named(tokensFromPath(value), where);
  }
  if (Array.isArray(value)) {
    const steps = stepsOf(value);
    return steps === undefined ? undefined : named(steps, where);
  }
  return undefined;
}

/** A pointer the origin wrote (RFC 9457 `pointer`, Ajv's `instancePath`): kept as a pointer, no label. */
export function fromPointer(value: unknown): FieldRef | undefined {
  if (typeof value !== "string") return undefined;
  const pointer = normalizePointer(value.trim());
  return pointer === undefined ? undefined : { pointer };
}

/** JSON:API 1.1 §11.2 `source`: a pointer into the request document, else a query parameter or header. */
export function fromSource(value: unknown): FieldRef | undefined {
  if (!isRecord(value)) return fromPath(value);
  const pointer = fromPointer(value.pointer);
  if (pointer !== undefined) return pointer;
  if (typeof value.parameter === "string" && value.parameter.trim() !== "") {
    return { pointer: "", where: `query parameter "${value.parameter}"` };
  }
  if (typeof value.header === "string" && value.header.trim() !== "") return { pointer: "", where: `header "${value.header}"` };
  return undefined;
}

/**
 * A location member beside the field: express-validator's `location: "query"`,
 * Google's `locationType: "header"`, OpenAPI's `in`. Returns the wording for
 * a field outside the body, "" for the body, undefined when it names no location.
 */
export function locationWording(record: JsonRecord, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value !== "string") continue;
    const location = requestLocation(value);
    if (location !== undefined) return location.body ? "" : location.name;
  }
  return undefined;
}
