/**
 * The member names an error body is read by, ranked. Names are compared in a
 * normal form (lower case, without `_`, `-` and spaces), so `error_message`,
 * `errorMessage` and `ErrorMessage` are one name. Each name has one Role,
 * built once per isolate: what it can mean, and how strongly (tier 1 first;
 * within a tier, the order of the lists below).
 */

export function normalKey(key: string): string {
  // Most members are already named in normal form (`message`, `code`, `detail`): no new string for them.
  if (ROLES.has(key)) return key;
  const lower = key.toLowerCase();
  // includes, not a regular expression: this runs for every member of every error object.
  if (!lower.includes("_") && !lower.includes("-") && !lower.includes(" ")) return lower;
  // A leading underscore marks a private member (Mongoose's `_message`, HAL's `_links`): it is kept, so the name is not the public one.
  const lead = /^_*/.exec(lower)?.[0] ?? "";
  return lead + lower.slice(lead.length).replace(/[-_ ]/g, "");
}

export interface MessageRank {
  readonly tier: 1 | 2;
  readonly rank: number;
}

export interface Role {
  /** A string here is prose for a human. */
  readonly message?: MessageRank;
  /** A value here is a machine-readable code, whatever its shape. */
  readonly code?: number;
  /** A code if the value is an identifier (`invalid_grant`), a message if it is a sentence. */
  readonly ambiguous?: number;
  /** The HTTP status again: consumed, never passed on. */
  readonly status?: true;
  /** An object here wraps the error itself. */
  readonly envelope?: true;
  /** An array here lists errors or messages. */
  readonly list?: true;
  /** An object here may map fields to messages. */
  readonly fieldMap?: true;
  /** In a list item: names the field the error is about (the lower, the stronger). */
  readonly field?: number;
  /** On an error object itself (Stripe's `param`): names its field. */
  readonly ownField?: true;
  /** Says where a field lives (`locationType`, `in`). */
  readonly location?: true;
}

const MESSAGE_TIER_1 = [
  "detail", "message", "errormessage", "errormsg", "errmsg", "errordescription", "errordetail", "description",
  "msg", "defaultmessage", "usermessage", "displaymessage", "localizedmessage", "friendlymessage", "faultstring",
  "statusmessage", "detailmessage", "explanation", "text", "errors",
];
const MESSAGE_TIER_2 = ["title", "details", "developermessage", "statustext"];
/** `status` counts only as a gRPC-style name (`INVALID_ARGUMENT`). */
export const AMBIGUOUS = ["error", "errortype", "type", "reason", "name", "status"] as const;
const CODE_KEYS = ["code", "errorcode", "errcode", "errorkey", "scimtype", "reasoncode", "messagecode", "msgcode", "subcode"];
const STATUS_KEYS = ["status", "statuscode", "httpstatus", "httpstatuscode", "httpcode", "statusnumber"];
const ENVELOPE_KEYS = [
  "error", "err", "fault", "data", "details", "detail", "errordetails", "errorinfo", "innererror", "status", "response",
  "result", "body", "problem",
];
const LIST_KEYS = [
  "errors", "error", "details", "detail", "causes", "violations", "fielderrors", "validationerrors", "invalidparams",
  "issues", "problems", "messages", "message", "errormessages", "suberrors", "failures", "fieldviolations", "reasons",
  "errorlist", "formerrors", "globalerrors",
];
const FIELD_MAP_KEYS = ["errors", "fielderrors", "validationerrors", "fields", "invalidfields", "formerrors"];
export const FIELD_KEYS = [
  "pointer", "source", "instancepath", "field", "fieldname", "param", "parameter", "property", "propertypath",
  "propertyname", "attribute", "attr", "loc", "path", "datapath", "target", "location", "fields", "membernames", "name",
] as const;
const OWN_FIELD_KEYS = ["pointer", "source", "field", "fieldname", "param", "parameter", "property", "propertypath", "attribute", "attr"];
const LOCATION_KEYS = ["locationtype", "in"];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const ROLES = new Map<string, Role>();
function define(keys: readonly string[], facet: (i: number) => Partial<Role>): void {
  keys.forEach((key, i) => ROLES.set(key, { ...(ROLES.get(key) ?? {}), ...facet(i) }));
}
define(MESSAGE_TIER_1, (rank) => ({ message: { tier: 1, rank } }));
define(MESSAGE_TIER_2, (rank) => ({ message: { tier: 2, rank } }));
define(AMBIGUOUS, (ambiguous) => ({ ambiguous }));
define(CODE_KEYS, (code) => ({ code }));
define(STATUS_KEYS, () => ({ status: true }));
define(ENVELOPE_KEYS, () => ({ envelope: true }));
define(LIST_KEYS, () => ({ list: true }));
define(FIELD_MAP_KEYS, () => ({ fieldMap: true }));
define(FIELD_KEYS, (field) => ({ field }));
define(OWN_FIELD_KEYS, () => ({ ownField: true }));
define(LOCATION_KEYS, () => ({ location: true }));

const NONE: Role = {};
const SUFFIX_MESSAGE: MessageRank = { tier: 2, rank: MESSAGE_TIER_2.length };

/**
 * A listed name's role, else what the name says of itself: `validationMessage`
 * is a message, `apiErrorCode` a code, `apiError` an envelope or list,
 * `constraintViolations` a list, `formErrors` a field map.
 */
export function roleOf(key: string): Role {
  const listed = ROLES.get(key);
  if (listed !== undefined) return listed;
  let role: Mutable<Role> | undefined;
  if (key.endsWith("message") || key.endsWith("msg") || (key.startsWith("error") && key.endsWith("description"))) {
    role = { message: SUFFIX_MESSAGE };
  } else if (key.endsWith("code") && key.includes("err")) {
    role = { code: CODE_KEYS.length };
  }
  const errorish = key.includes("error") || key.includes("fault");
  if (errorish || key.includes("violation") || key.includes("issue") || key.includes("problem") || key.includes("failure") || key.includes("cause")) {
    role ??= {};
    role.list = true;
    if (errorish) role.envelope = true;
    if (key.endsWith("errors")) role.fieldMap = true;
  }
  return role ?? NONE;
}

/** Field-map keys that mean "no particular field": DRF, Django forms, Rails, marshmallow. */
const NON_FIELD_KEYS = new Set(["nonfielderrors", "__all__", "base", "_schema", "_error", "general", "global", ""]);

export function isNonFieldKey(rawKey: string): boolean {
  // "non_field_errors" is the longest of them.
  return NON_FIELD_KEYS.has(rawKey) || (rawKey.length <= 16 && NON_FIELD_KEYS.has(normalKey(rawKey)));
}

/** `invalid_grant`, `NotFound`, `FST_ERR_VALIDATION`, `oauth.v2.InvalidApiKey`: one token, no prose. */
export function isIdentifier(value: string): boolean {
  return value.length <= 64 && /^[A-Za-z_$][\w$.:-]*$/.test(value);
}

/** gRPC canonical names, as Google writes `status`: `INVALID_ARGUMENT`, `NOT_FOUND`. */
export function isUpperSnake(value: string): boolean {
  return value.length <= 64 && /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(value);
}

// express-validator's `type: "field"`, an envelope's `type: "error"`: what kind of object it is, not which error.
const KIND_WORDS = new Set(["field", "error", "errors", "alternative", "alternative_grouped", "unknown_fields", "exception"]);

export function isKindWord(value: string): boolean {
  return KIND_WORDS.has(value.toLowerCase());
}

/** Error class names, which `name` carries in serialized exceptions: `ValidationError`. */
export function isClassName(value: string): boolean {
  return /^[A-Z][\w$]*(?:Error|Exception|Fault)$/.test(value);
}

/** Request locations that prefix a `loc` or are named beside a field (FastAPI, express-validator, OpenAPI `in`). */
const BODY_LOCATIONS = new Set(["body", "json", "payload", "form", "request"]);
const NAMED_LOCATIONS: Readonly<Record<string, string>> = {
  query: "query parameter", querystring: "query parameter", params: "path parameter", path: "path parameter",
  header: "header", headers: "header", cookie: "cookie", cookies: "cookie",
};

export type RequestLocation = { body: true } | { body: false; name: string };

export function requestLocation(value: string): RequestLocation | undefined {
  const key = value.toLowerCase();
  if (BODY_LOCATIONS.has(key)) return { body: true };
  const name = Object.hasOwn(NAMED_LOCATIONS, key) ? NAMED_LOCATIONS[key] : undefined;
  return name === undefined ? undefined : { body: false, name };
}
