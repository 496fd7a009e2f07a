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
