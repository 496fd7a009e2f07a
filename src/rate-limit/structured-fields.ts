/**
 * Parsing of Structured Field Lists (RFC 9651 §4.2), enough to read an
 * origin's RateLimit and RateLimit-Policy fields and merge them with the
 * gateway's. Each member keeps its exact source text, so members the gateway
 * keeps are passed on byte for byte. Pure.
 */

export type BareItem =
  | { readonly type: "integer" | "decimal" | "date"; readonly value: number }
  | { readonly type: "string" | "token" | "display"; readonly value: string }
  | { readonly type: "bytes"; readonly value: string }
  | { readonly type: "boolean"; readonly value: boolean };

export interface ListMember {
  /** The member's text as received (item or inner list, with its parameters). */
  readonly raw: string;
  /** The item's bare value; undefined for an inner list. */
  readonly item: BareItem | undefined;
  readonly params: ReadonlyMap<string, BareItem>;
}

class ParseError extends Error {}

/** The members of a List field value, or undefined when it is not a valid List (RFC 9651 §4.2: then the whole field is ignored). */
export function parseList(field: string): ListMember[] | undefined {
  try {
    return new Parser(field).list();
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}

const DIGIT = /[0-9]/;
const ALPHA = /[A-Za-z]/;
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const KEY_START = /[a-z*]/;
const KEY_CHAR = /[a-z0-9_\-.*]/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

class Parser {
  #s: string;
  #i = 0;

  constructor(field: string) {
    this.#s = field;
  }

  list(): ListMember[] {
    const members: ListMember[] = [];
    this.#skip(" ");
    while (this.#i < this.#s.length) {
      const start = this.#i;
      const member = this.#peek() === "(" ? this.#innerList() : this.#item();
      members.push({ raw: this.#s.slice(start, this.#i), ...member });
      this.#skip(" \t");
      if (this.#i >= this.#s.length) return members;
      this.#expect(",");
      this.#skip(" \t");
      if (this.#i >= this.#s.length) throw new ParseError("trailing comma");
    }
    return members;
  }

  #item(): Omit<ListMember, "raw"> {
    const item = this.#bareItem();
    return { item, params: this.#params() };
  }

  #innerList(): Omit<ListMember, "raw"> {
    this.#expect("(");
    for (;;) {
      this.#skip(" ");
      if (this.#peek() === ")") {
        this.#i++;
        return { item: undefined, params: this.#params() };
      }
      this.#item();
      const next = this.#peek();
      if (next !== " " && next !== ")") throw new ParseError("bad inner list");
    }
  }

  #params(): Map<string, BareItem> {
    const params = new Map<string, BareItem>();
    while (this.#peek() === ";") {
      this.#i++;
      this.#skip(" ");
      const key = this.#key();
      let value: BareItem = { type: "boolean", value: true };
      if (this.#peek() === "=") {
        this.#i++;
        value = this.#bareItem();
      }
      params.set(key, value);
    }
    return params;
  }

  #key(): string {
    const start = this.#i;
    if (!KEY_START.test(this.#peek())) throw new ParseError("bad key");
    this.#i++;
    while (KEY_CHAR.test(this.#peek())) this.#i++;
    return this.#s.slice(start, this.#i);
  }

  #bareItem(): BareItem {
    const c = this.#peek();
    if (c === "-" || DIGIT.test(c)) return this.#number();
    if (c === '"') return { type: "string", value: this.#string() };
    if (c === "*" || ALPHA.test(c)) return this.#token();
    if (c === ":") return this.#bytes();
    if (c === "?") return this.#boolean();
    if (c === "@") {
      this.#i++;
      const date = this.#number();
      if (date.type !== "integer") throw new ParseError("bad date");
      return { type: "date", value: date.value };
    }
    if (c === "%") return this.#displayString();
    throw new ParseError("bad item");
  }

  #number(): BareItem {
    const start = this.#i;
    if (this.#peek() === "-") this.#i++;
    const digitsStart = this.#i;
    while (DIGIT.test(this.#peek())) this.#i++;
    const intDigits = this.#i - digitsStart;
    if (intDigits === 0) throw new ParseError("bad number");
    if (this.#peek() !== ".") {
      if (intDigits > 15) throw new ParseError("integer too long");
      return { type: "integer", value: Number(this.#s.slice(start, this.#i)) };
    }
    if (intDigits > 12) throw new ParseError("decimal too long");
    this.#i++;
    const fracStart = this.#i;
    while (DIGIT.test(this.#peek())) this.#i++;
    const fracDigits = this.#i - fracStart;
    if (fracDigits < 1 || fracDigits > 3) throw new ParseError("bad decimal");
    return { type: "decimal", value: Number(this.#s.slice(start, this.#i)) };
  }

  #string(): string {
    this.#expect('"');
    let out = "";
    for (;;) {
      const c = this.#s[this.#i++];
      if (c === undefined) throw new ParseError("unterminated string");
      if (c === '"') return out;
      if (c === "\\") {
        const next = this.#s[this.#i++];
        if (next !== '"' && next !== "\\") throw new ParseError("bad escape");
        out += next;
      } else {
        const code = c.charCodeAt(0);
        if (code < 0x20 || code > 0x7e) throw new ParseError("bad string character");
        out += c;
      }
    }
  }

  #token(): BareItem {
    const start = this.#i++;
    while (TCHAR.test(this.#peek())) this.#i++;
    return { type: "token", value: this.#s.slice(start, this.#i) };
  }

  #bytes(): BareItem {
    this.#expect(":");
    const end = this.#s.indexOf(":", this.#i);
    if (end === -1) throw new ParseError("unterminated byte sequence");
    const value = this.#s.slice(this.#i, end);
    if (!BASE64.test(value)) throw new ParseError("bad byte sequence");
    this.#i = end + 1;
    return { type: "bytes", value };
  }

  #boolean(): BareItem {
    this.#expect("?");
    const c = this.#s[this.#i++];
    if (c !== "0" && c !== "1") throw new ParseError("bad boolean");
    return { type: "boolean", value: c === "1" };
  }

  #displayString(): BareItem {
    this.#expect("%");
    this.#expect('"');
    const bytes: number[] = [];
    for (;;) {
      const c = this.#s[this.#i++];
      if (c === undefined) throw new ParseError("unterminated display string");
      if (c === '"') break;
      const code = c.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) throw new ParseError("bad display string character");
      if (c === "%") {
        const hex = this.#s.slice(this.#i, this.#i + 2);
        if (!/^[0-9a-f]{2}$/.test(hex)) throw new ParseError("bad percent escape");
        bytes.push(parseInt(hex, 16));
        this.#i += 2;
      } else {
        bytes.push(code);
      }
    }
    try {
      return { type: "display", value: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes)) };
    } catch {
      throw new ParseError("display string is not UTF-8");
    }
  }

  #peek(): string {
    return this.#s[this.#i] ?? "";
  }

  #skip(chars: string): void {
    while (this.#i < this.#s.length && chars.includes(this.#peek())) this.#i++;
  }

  #expect(c: string): void {
    if (this.#s[this.#i] !== c) throw new ParseError(`expected ${c}`);
    this.#i++;
  }
}
