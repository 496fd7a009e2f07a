/**
 * Configuration of CORS: the named policies in `PORTCULLIS.cors` and the
 * route key (`cors = "<policy>"` in `[defaults]` or a route; `false` leaves
 * CORS to the origin). docs/cors.md documents every key; `npm run check`
 * names every mistake through these readers.
 */
import { isToken } from "../http-syntax";
import { fail, join, readArray, readBoolean, readNonNegativeInt, readTable, rejectUnknownKeys, type Issues } from "../config/validate";
import { compileOrigins, parseOriginEntry } from "./origins";
import { compilePlan, type CorsPlan, type CorsPolicy } from "./policy";

export interface CorsConfig {
  readonly policies: ReadonlyMap<string, CorsPolicy>;
}

/** Keys a route (and [defaults]) may set for CORS. */
export const CORS_ROUTE_KEYS = ["cors"] as const;

const CORS_DEFAULTS = {
  // Ten minutes of preflight cache: few repeated preflights, and a policy change
  // reaches browsers soon. (Fetch's default without the header is 5 s.)
  max_age: 600,
} as const;

// Browsers cap it lower (Chromium at 7200 s, Firefox at 86400 s); more is a mistake.
const MAX_AGE_LIMIT = 86_400;
const POLICY_KEYS = ["origins", "methods", "headers", "expose_headers", "credentials", "max_age"] as const;

export function parseCorsConfig(raw: unknown, path: string, issues: Issues): CorsConfig {
  const table = readTable(raw, path, issues) ?? {};
  const policies = new Map<string, CorsPolicy>();
  for (const [name, value] of Object.entries(table)) {
    const policy = parsePolicy(name, value, join(path, name), issues);
    if (policy !== undefined) policies.set(name, policy);
  }
  return { policies };
}

/** A policy even when some keys are wrong: the issues already reject the config, and routes naming it get no second, misleading "unknown policy". */
function parsePolicy(name: string, value: unknown, path: string, issues: Issues): CorsPolicy | undefined {
  const table = readTable(value, path, issues);
  if (table === undefined) return undefined;
  rejectUnknownKeys(table, POLICY_KEYS, path, issues);
  // Read first: whether "*" is allowed among the origins depends on it.
  const credentials = readBoolean(table.credentials, join(path, "credentials"), issues) ?? false;
  const origins = compileOrigins(readOrigins(table.origins, join(path, "origins"), credentials, issues));
  const methods = readTokens(table.methods, join(path, "methods"), issues, "an HTTP method such as \"PUT\"")?.map((m) => m.toUpperCase());
  // RFC 9110 §9.3.2: GET implies HEAD, as it does for the route's own methods.
  if (methods?.includes("GET") === true && !methods.includes("HEAD")) methods.push("HEAD");
  const headers = readTokens(table.headers, join(path, "headers"), issues, "a header name such as \"Content-Type\"")?.map((h) => h.toLowerCase()) ?? [];
  const exposeHeaders = readTokens(table.expose_headers, join(path, "expose_headers"), issues, "a header name such as \"ETag\"") ?? [];
  const maxAge = readNonNegativeInt(table.max_age, join(path, "max_age"), issues) ?? CORS_DEFAULTS.max_age;
  if (maxAge > MAX_AGE_LIMIT) issues.push(`${join(path, "max_age")}: expected at most ${MAX_AGE_LIMIT} seconds (browsers cap it lower: Chromium at 7200), got ${maxAge}`);
  return {
    name,
    origins,
    methods: methods === undefined ? undefined : [...new Set(methods)],
    headers: [...new Set(headers)],
    exposeHeaders,
    credentials,
    maxAgeSeconds: maxAge,
  };
}

function readOrigins(value: unknown, path: string, credentials: boolean, issues: Issues): string[] {
  if (value === undefined) {
    issues.push(`${path}: required: the origins allowed to call, e.g. ["https://app.example.com", "https://*.example.com"]`);
    return [];
  }
  const items = readArray(value, path, issues) ?? [];
  if (Array.isArray(value) && items.length === 0) issues.push(`${path}: expected at least one origin`);
  const origins: string[] = [];
  for (const [i, item] of items.entries()) {
    const where = `${path}[${i}]`;
    if (typeof item !== "string") {
      fail(issues, where, "an origin such as \"https://app.example.com\"", item);
    } else if (item === "*") {
      if (items.length > 1) issues.push(`${where}: "*" allows every origin and must be the only entry`);
      // Fetch §3.2 ("CORS protocol and credentials"): the browser refuses "*" on a credentialed request; echoing
      // every origin instead would hand any site the user's cookies.
      if (credentials) issues.push(`${where}: "*" cannot be used with credentials = true; list the origins that may send credentials`);
      origins.push(item);
    } else {
      const parsed = parseOriginEntry(item);
      if ("problem" in parsed) issues.push(`${where}: ${parsed.problem}, got ${JSON.stringify(item)}`);
      else origins.push(item);
    }
  }
  return origins;
}

/** A list of RFC 9110 tokens; `*` is refused: Fetch gives it a meaning of its own, and none with credentials. */
function readTokens(value: unknown, path: string, issues: Issues, expected: string): string[] | undefined {
  const items = readArray(value, path, issues);
  if (items === undefined) return undefined;
  const tokens: string[] = [];
  items.forEach((item, i) => {
    if (item === "*") issues.push(`${path}[${i}]: "*" is not supported: list each one`);
    else if (typeof item !== "string" || !isToken(item)) fail(issues, `${path}[${i}]`, expected, item);
    else tokens.push(item);
  });
  return tokens;
}

/**
 * The route's plan, or undefined when the gateway leaves CORS to the origin:
 * no `cors` key anywhere, or `cors = false`. A route that does not set the key
 * inherits `[defaults]`'s policy, compiled for its own methods.
 */
export function parseRouteCors(
  value: unknown,
  path: string,
  issues: Issues,
  inherited: CorsPlan | undefined,
  global: CorsConfig,
  routeMethods: readonly string[],
): CorsPlan | undefined {
  const where = join(path, "cors");
  if (value === false) return undefined;
  let policy = inherited?.policy;
  if (typeof value === "string") {
    policy = global.policies.get(value);
    if (policy === undefined) {
      const defined = [...global.policies.keys()].map((n) => JSON.stringify(n)).join(", ");
      issues.push(`${where}: unknown policy ${JSON.stringify(value)} (${defined === "" ? "PORTCULLIS.cors defines none" : `defined: ${defined}`})`);
    }
  } else if (value !== undefined) {
    return fail(issues, where, "the name of a policy in PORTCULLIS.cors, or false to leave CORS to the origin", value);
  }
  if (policy === undefined) return undefined;
  const plan = compilePlan(policy, routeMethods);
  if (plan.methods.size === 0) {
    issues.push(`${where}: policy ${JSON.stringify(policy.name)} allows none of this route's methods (${routeMethods.join(", ")}); no preflight could succeed`);
  }
  return plan;
}
