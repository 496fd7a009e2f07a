/**
 * The RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers-10
 * §3, §4), built as Structured Field Lists (RFC 9651 §3.1), and merged with
 * the origin's own so that neither is ever made more permissive. Pure.
 */
import type { ObjectPolicy } from "./rate-limiter-object";
import { parseList } from "./structured-fields";

const RATELIMIT_POLICY = "ratelimit-policy";
const RATELIMIT = "ratelimit";
/** Says a limited request was not checked because the limiter did not answer (fail-open). */
export const UNCHECKED_HEADER = "portcullis-ratelimit";

/** What RateLimit-Policy says of a policy: its name, quota and window in seconds. */
export type PolicyDescription = Pick<ObjectPolicy, "name" | "quota"> & { readonly windowSeconds: number };

export interface ServiceLimit {
  readonly name: string;
  /** Quota units left (draft §4.1.1). */
  readonly remaining: number;
  /** Seconds until more quota is made available (draft §4.1.2); omitted when unknown or nothing counts. */
  readonly resetSeconds?: number;
}

/** One member the gateway contributes: its text, its policy name and the number merging compares. */
export interface FieldMember {
  readonly name: string;
  readonly text: string;
  /** `q` for RateLimit-Policy, `r` for RateLimit: lower is stricter. */
  readonly bound: number;
}

// Policy names are restricted (rate-limit-config.ts) to characters an
// sf-string carries unescaped (RFC 9651 §3.3.3).
export function policyMembers(policies: readonly PolicyDescription[]): FieldMember[] {
  return policies.map((p) => ({ name: p.name, text: `"${p.name}";q=${p.quota};w=${p.windowSeconds}`, bound: p.quota }));
}

export function limitMembers(limits: readonly ServiceLimit[]): FieldMember[] {
  return limits.map((l) => ({
    name: l.name,
    text: `"${l.name}";r=${l.remaining}${l.resetSeconds === undefined ? "" : `;t=${l.resetSeconds}`}`,
    bound: l.remaining,
  }));
}

/** Milliseconds to whole delay-seconds, rounded up so a client never comes back too early. */
export function toSeconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

/**
 * Merges the gateway's members into the origin's value of the same field.
 * The origin's members are kept as sent; when both name the same policy, the
 * stricter member wins (lower `q`, or lower `r`), so the combined field never
 * promises more than either party allows. A value that is not a valid List is
 * one a client must ignore entirely (RFC 9651 §4.2), so ours replaces it.
 */
export function mergeField(existing: string | null, ours: readonly FieldMember[], param: "q" | "r"): string {
  const parsed = existing === null ? undefined : parseList(existing);
  if (parsed === undefined) return ours.map((m) => m.text).join(", ");
  const mine = [...ours];
  const kept: string[] = [];
  for (const member of parsed) {
    const item = member.item;
    const name = item?.type === "string" || item?.type === "token" ? item.value : undefined;
    const index = mine.findIndex((m) => m.name === name);
    const same = mine[index];
    if (same === undefined) {
      kept.push(member.raw);
      continue;
    }
    const theirs = member.params.get(param);
    if (theirs?.type === "integer" && theirs.value < same.bound) {
      kept.push(member.raw);
      mine.splice(index, 1);
    }
    // Otherwise ours is at least as strict: the origin's member is dropped.
  }
  return [...kept, ...mine.map((m) => m.text)].join(", ");
}

/** Sets both fields on `headers`, merged with whatever the origin sent. */
export function applyRateLimitFields(headers: Headers, policies: readonly FieldMember[], limits: readonly FieldMember[]): void {
  if (policies.length > 0) headers.set(RATELIMIT_POLICY, mergeField(headers.get(RATELIMIT_POLICY), policies, "q"));
  if (limits.length > 0) headers.set(RATELIMIT, mergeField(headers.get(RATELIMIT), limits, "r"));
}

/** The same fields as a plain record, for a GatewayError's headers (no origin to merge with). */
export function rateLimitFieldRecord(policies: readonly FieldMember[], limits: readonly FieldMember[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (policies.length > 0) out[RATELIMIT_POLICY] = policies.map((m) => m.text).join(", ");
  if (limits.length > 0) out[RATELIMIT] = limits.map((m) => m.text).join(", ");
  return out;
}
