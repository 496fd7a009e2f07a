/**
 * HTTP syntax the gateway checks in several places, written once.
 * RFC 9110 §5.6.2: token = 1*tchar; field names and methods are tokens.
 */
export const TOKEN_SOURCE = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const TOKEN = new RegExp(`^${TOKEN_SOURCE}$`);

export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/** An error (or anything thrown) in one line for the operator's log; never sent to a client. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
