/**
 * What the general reader collects from a JSON error body, before anything
 * is chosen: candidate messages and codes with their rank, and the field
 * errors. Dialect rules (a Precedence) bend the choice; resolve.ts makes it.
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One listed error or field error, as the origin said it. */
export interface Entry {
  message?: string;
  code?: string;
  /** RFC 6901 pointer into the request body; "" = the request as a whole. */
  pointer: string;
  /** The field as the origin spelled it (a map key, `field`, `loc` …), for the summary. Not set for pointers. */
  label?: string;
  /** Where a field outside the body lives: `query parameter "limit"`, `header "Authorization"`. */
  where?: string;
  /** JSON:API's per-error `title`. */
  title?: string;
}

/**
 * A member read as a message. Ranked by tier (1: a message by name; 2: a
 * message by a weaker name; 3: a text that only restates the status), then
 * depth (0 = the body, 1–2 = envelopes), then the name's rank.
 */
export interface MessageCandidate {
  text: string;
  tier: number;
  depth: number;
  rank: number;
  /** The member's name where it would stand as an extension (the body's and lifted envelopes' members). */
  member?: string;
}

/** A member read as a code. Tier 0: a dialect's own code member; 1: a code by name; 2: an identifier under an ambiguous name; 3: a number. */
export interface CodeCandidate {
  value: string;
  tier: number;
  depth: number;
  rank: number;
  /** Set once chosen: the holder consumes the member. */
  holder: ChainNode;
  key: string;
}

/** The body and the envelopes inside it, each with what was consumed from it. */
export interface ChainNode {
  record: JsonRecord;
  /** The member name it was reached by; undefined for the body. */
  key?: string;
  depth: number;
  /** Lifted envelopes (`error`, `fault`) give their other members to the top; others keep them under their name. */
  lift: boolean;
  consumed: Set<string>;
  /** Members replaced by what is left of them (a list whose read items were taken out). */
  replaced?: Map<string, unknown>;
  children: ChainNode[];
  /** The one item of a one-item list, whose other members stay with the problem. */
  items: { record: JsonRecord; consumed: Set<string> }[];
}

/**
 * What a dialect rule says about a body, on top of the general vocabulary.
 * Every flag is optional: the general reader alone is the default rule.
 */
export interface Precedence {
  dialect: string;
  /** RFC 9457 §3.1: `type`, `title` and `instance` at the top mean what the RFC says. */
  problemMembers?: boolean;
  /** Top-level members that frame the dialect rather than describe the error (SCIM `schemas`, GraphQL `data`). */
  framing?: readonly string[];
  /** Members of list items that frame them (GraphQL `locations`, `path`, `extensions`). */
  itemFraming?: readonly string[];
  /** GraphQL: an item's `path` points into the response, not the request. */
  responsePaths?: boolean;
  /** Google: `@type`d details other than field violations are kept as they came, not listed. */
  typedDetails?: boolean;
  /** A code that outranks every member (a typed error's name spelled in words). */
  code?: string;
  /** JSON:API: the title the errors share is the problem's title. */
  sharedTitle?: boolean;
  /** JSend: `data` of a `fail` is a map of field → message. */
  fieldMapData?: boolean;
}

export interface Reading {
  root: ChainNode;
  messages: MessageCandidate[];
  codes: CodeCandidate[];
  entries: Entry[];
  /** The body was itself a map of field → messages. */
  bare?: boolean;
  /** RFC 9457 members of a problem-details body. */
  type?: string;
  title?: string;
  instance?: string;
}

/** Bounds of the walk: an error body is small; one that is not must not cost more than one that is. */
export const LIMITS = {
  /** Envelope levels below the body (the "one or two levels"). */
  chainDepth: 2,
  /** Levels of lists and maps inside the body. */
  depth: 5,
  /** Members looked at per object. */
  members: 256,
  /** Items looked at per list. */
  items: 200,
  /** Field errors collected: a problem carries at most 50 (normalize-origin-error.ts), each costs a leak check. */
  entries: 50,
} as const;
