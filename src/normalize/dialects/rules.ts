/**
 * The named dialects, as precedence rules on top of the general reader: each
 * says only what its specification gives a member that the vocabulary alone
 * would read otherwise, and names the dialect for the operator's log. A body
 * no rule names is read by the vocabulary alone.
 *
 * Order matters where shapes overlap: problem details first (a `type` that is
 * a URI sets them apart from seed 002's bare type names); typed errors last,
 * as their only mark is a `type` with a `message`.
 */
import type { JsonRecord, Precedence } from "../reader/types";
import { isRecord } from "../reader/types";
import { isUpperSnake } from "../reader/vocabulary";
import { looksLikeUri } from "../uri";

const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

type Rule = (body: JsonRecord, essence: string) => Precedence | undefined;

/**
 * RFC 9457 (and RFC 7807 before it), ASP.NET Core's flavour included:
 * recognized by shape, not by Content-Type alone — a `type` that is a URI,
 * or a `title` with a numeric `status` and no competing `type`; a
 * problem+json label is enough when the body has a title or detail.
 */
const problemDetails: Rule = (body, essence) => {
  const type = body.type;
  const typeIsUri = typeof type === "string" && looksLikeUri(type);
  const titled = typeof body.title === "string" && typeof body.status === "number" && type === undefined;
  const declared = essence === "application/problem+json" && (typeof body.title === "string" || typeof body.detail === "string");
  if (!typeIsUri && !titled && !declared) return undefined;
  return { dialect: isRecord(body.errors) ? "problem-details/aspnet" : "problem-details", problemMembers: true };
};

/** SCIM (RFC 7644 §3.12): `schemas` names the message type; `status` is a string there. */
const scim: Rule = (body) =>
  Array.isArray(body.schemas) && body.schemas.includes(SCIM_ERROR) ? { dialect: "scim", framing: ["schemas"] } : undefined;

/** Kubernetes `Status` (API conventions): `reason` is the code, `details.causes` the field errors. */
const kubernetes: Rule = (body) =>
  body.kind === "Status" && typeof body.apiVersion === "string" ? { dialect: "kubernetes", framing: ["kind", "apiVersion", "metadata"] } : undefined;

function errorItems(body: JsonRecord): JsonRecord[] | undefined {
  const list = body.errors;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const records = list.filter(isRecord);
  return records.length === list.length ? records : undefined;
}

/** JSON:API 1.1 §11.2: error objects with `title`, `detail`, `source`; the shared title titles the problem. */
const jsonApi: Rule = (body, essence) => {
  const items = errorItems(body);
  if (items === undefined) return undefined;
  const shaped = items.every((e) => !("message" in e)) && items.some((e) => "title" in e || "detail" in e || "source" in e);
  return essence === "application/vnd.api+json" || shaped ? { dialect: "jsonapi", sharedTitle: true } : undefined;
};

/** GraphQL (October 2021 §7.1.2): `path` points into the response, so it names no request field. */
const graphql: Rule = (body) => {
  const items = errorItems(body);
  if (items === undefined) return undefined;
  const shaped = "data" in body || items.some((e) => Array.isArray(e.locations) || isRecord(e.extensions));
  return shaped ? { dialect: "graphql", framing: ["data"], itemFraming: ["locations", "path", "extensions"], responsePaths: true } : undefined;
};

/** Google / gRPC JSON (AIP-193): `status` names the code; `@type`d details other than field violations stay as they came. */
const google: Rule = (body) => {
  const inner = body.error;
  if (!isRecord(inner) || typeof inner.code !== "number" || typeof inner.status !== "string" || !isUpperSnake(inner.status)) return undefined;
  return { dialect: "google", typedDetails: true };
};

/** Stripe: `type` is the category, `code` the reason, `param` the field (the vocabulary reads all three so). */
const stripe: Rule = (body) => {
  const inner = body.error;
  return isRecord(inner) && typeof inner.type === "string" && typeof inner.message === "string" ? { dialect: "stripe" } : undefined;
};

/** Hapi/Boom, Fastify and NestJS: `{statusCode, error, message}`; NestJS lists class-validator messages. */
const statusCodeBody: Rule = (body) => {
  if (typeof body.statusCode !== "number" || (!("message" in body) && typeof body.error !== "string")) return undefined;
  return { dialect: Array.isArray(body.message) ? "nestjs" : "boom" };
};

/** OAuth 2.0 (RFC 6749 §5.2, RFC 6750 §3.1): `error` is a lower_snake code. */
const oauth: Rule = (body) =>
  typeof body.error === "string" && /^[a-z][a-z0-9_.-]*$/.test(body.error) ? { dialect: "oauth" } : undefined;

/** AWS JSON protocols: `__type` (the reader takes the shape name after '#'). */
const aws: Rule = (body) => (typeof body.__type === "string" ? { dialect: "aws" } : undefined);

/**
 * Typed errors (seed 002): a `type` name with a `message`. Its reference
 * spells the names in words ("Invalid Payload"); both spellings give the
 * PascalCase code.
 */
const typed: Rule = (body) => {
  const { type, message } = body;
  if (typeof type !== "string" || typeof message !== "string" || looksLikeUri(type)) return undefined;
  if (/^[A-Z][A-Za-z0-9]*(?: [A-Z][A-Za-z0-9]*)+$/.test(type)) return { dialect: "typed", code: type.replaceAll(" ", ""), framing: ["type"] };
  return /^[A-Za-z][\w.-]*$/.test(type) ? { dialect: "typed" } : undefined;
};

/** JSend: the `data` of a `fail` maps the request's fields to what is wrong with them. */
const jsend: Rule = (body) => (body.status === "fail" && isRecord(body.data) ? { dialect: "jsend", fieldMapData: true } : undefined);

const RULES: readonly Rule[] = [problemDetails, scim, kubernetes, jsonApi, graphql, google, stripe, statusCodeBody, oauth, aws, typed, jsend];

/** The rule the body answers to, or the vocabulary alone under a name that says the body's shape. */
export function precedenceOf(value: unknown, essence: string): Precedence {
  if (Array.isArray(value)) return { dialect: "errors-array" };
  if (!isRecord(value)) return { dialect: "json" };
  for (const rule of RULES) {
    const precedence = rule(value, essence);
    if (precedence !== undefined) return precedence;
  }
  if (isRecord(value.error)) return { dialect: "error-envelope" };
  if (isRecord(value.errors)) return { dialect: "errors-map" };
  if (Array.isArray(value.errors)) return { dialect: "errors-array" };
  return { dialect: "json" };
}
