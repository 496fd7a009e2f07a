/** Who is calling, once authentication succeeded (src/auth/step.ts). */
export interface Identity {
  /** Stable consumer id: the API key record's consumer, or the JWT's consumer claim. */
  readonly consumer: string;
  readonly scopes: readonly string[];
  readonly method: "api_key" | "jwt";
  /** JWT `sub`, when authenticated by JWT. */
  readonly subject?: string;
  /** Rate-limit tier from the API key record, if any. */
  readonly tier?: string;
}

/**
 * A consumer id (or tier) the origin can receive in a header: printable
 * ASCII (RFC 9110 §5.5 field-vchar and SP), no leading or trailing space,
 * at most 256 characters.
 */
const CONSUMER_ID = /^[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?$/;

export function isConsumerId(value: string): boolean {
  return CONSUMER_ID.test(value);
}
