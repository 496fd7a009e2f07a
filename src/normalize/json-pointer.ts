/**
 * JSON Pointers (RFC 6901) for the `errors` extension: every field an origin
 * names, whatever its notation, becomes a pointer into the request document.
 */

/** RFC 6901 §3: `~` is written `~0` and `/` is written `~1`, in that order. */
export function escapeToken(token: string): string {
  if (!token.includes("~") && !token.includes("/")) return token;
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

export function pointerFromTokens(tokens: readonly string[]): string {
  return tokens.map((t) => `/${escapeToken(t)}`).join("");
}

/**
 * A field path in dot-and-bracket notation, as ASP.NET model state, NestJS and
 * Google's FieldViolation write them: `address.street`, `items[0].name`,
 * `$.mistake`, `$['odd.key']`, `sort`. `$` alone or "" is the whole document.
 */
export function pointerFromFieldPath(path: string): string {
  const tokens: string[] = [];
  let rest = path.trim();
  if (rest.startsWith("$")) rest = rest.slice(1);
  const part = /^(?:\.?([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\])/;
  while (rest !== "") {
    const m = part.exec(rest);
    // Not dot-and-bracket notation after all: the whole string is one member name.
    if (m === null) return pointerFromTokens([path.trim()]);
    tokens.push(m[1] ?? m[2] ?? (m[3] ?? m[4] ?? "").replace(/\\(.)/g, "$1"));
    rest = rest.slice(m[0].length);
  }
  return pointerFromTokens(tokens);
}

/** Stripe and Rails style form parameters: `card[number]`, `items[0][price]`. */
export function pointerFromFormParam(param: string): string {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(param.trim());
  if (m === null) return pointerFromTokens([param.trim()]);
  const tokens = [m[1] ?? ""];
  for (const sub of (m[2] ?? "").matchAll(/\[([^[\]]*)\]/g)) tokens.push(sub[1] ?? "");
  return pointerFromTokens(tokens);
}

const POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;

/**
 * A pointer the origin wrote itself (JSON:API `source.pointer`, RFC 9457 §3's
 * `errors[].pointer`), in string form or in URI fragment form (`#/age`,
 * RFC 6901 §6). Returns the string form, or undefined when it is not a pointer.
 */
export function normalizePointer(value: string): string | undefined {
  let pointer = value;
  if (pointer.startsWith("#")) {
    try {
      pointer = decodeURIComponent(pointer.slice(1));
    } catch {
      return undefined;
    }
  }
  return POINTER.test(pointer) ? pointer : undefined;
}
