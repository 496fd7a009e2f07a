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
  let pointer = "";
  for (const token of tokens) pointer += `/${escapeToken(token)}`;
  return pointer;
}

// One step of a field path: `.name` (or a leading `name`), `[0]`, `['odd.key']`,
// `["odd.key"]`, or a form-style `[name]`.
const STEP = /^(?:\.?([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[([^[\]'"]*)\])/;

/**
 * The tokens of a field path in any of the notations origins use:
 * - dotted and bracketed, as ASP.NET, NestJS, Kubernetes and Google's
 *   FieldViolation write them: `address.street`, `items[0].name`;
 * - JSONPath (RFC 9535), as System.Text.Json writes them: `$.mistake`,
 *   `$['odd.key']`, `$[0]`; `$` alone is the whole document;
 * - form parameters, as Stripe and Rails write them: `card[number]`, `items[0][price]`.
 * A string in none of these notations is one member name.
 */
export function tokensFromPath(path: string): string[] {
  // Most field paths are plain names between dots, with list indexes: `items[0].quantity`.
  if (/^[\w-]+(?:\.[\w-]+|\[\d+\])*$/.test(path)) return path.match(/[\w-]+/g) ?? [path];
  let rest = path.trim();
  if (rest.startsWith("$")) rest = rest.slice(1);
  const tokens: string[] = [];
  while (rest !== "") {
    const m = STEP.exec(rest);
    if (m === null) return [path.trim()];
    tokens.push(m[1] ?? m[2] ?? m[5] ?? (m[3] ?? m[4] ?? "").replace(/\\(.)/g, "$1"));
    rest = rest.slice(m[0].length);
  }
  return tokens;
}

const POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;

/**
 * A pointer the origin wrote itself (JSON:API `source.pointer`, RFC 9457 §3's
 * `errors[].pointer`, Ajv's `instancePath`), in string form or in URI fragment
 * form (`#/age`, RFC 6901 §6). Returns the string form, or undefined when it is
 * not a pointer.
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
