/**
 * Bodies that are not JSON: HTML error pages (web servers, CDNs, framework
 * debug pages), XML errors, plain text, nothing at all.
 */
import { restatesStatus } from "../status-text";
import type { OriginError } from "./shape";

/**
 * HTML error pages: the heading or title is the message ("Not Found"); the
 * rest of the page is layout, server banners and, on debug pages, the stack
 * trace, so it is used only when the page has no telling heading. A heading
 * that merely restates the status, or says only "Error" (Express's default
 * page is titled "Error", its message in a `<pre>`), gives way to the page's
 * first paragraph or preformatted text, if any.
 */
export function htmlPage(html: string, status: number): OriginError {
  const page = html.replace(/<!--[\s\S]*?(?:-->|$)/g, " ");
  const element = (name: string): string =>
    visibleText(new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}\\s*>`, "i").exec(page)?.[1] ?? "");
  let first = "";
  for (const name of ["h1", "title"]) {
    const heading = element(name);
    if (heading === "") continue;
    if (!generic(heading, status)) return { dialect: "html", detail: heading };
    first ||= heading;
  }
  const detail = element("p") || element("pre") || first || visibleText(page.replace(/<head\b[\s\S]*?<\/head\s*>/gi, " "));
  return detail === "" ? { dialect: "html" } : { dialect: "html", detail };
}

/** "Not Found", "404 Not Found", "Error 404", "Error", "Oops!", "Whitelabel Error Page": nothing the status does not say. */
function generic(heading: string, status: number): boolean {
  return restatesStatus(heading, status) || /^(?:an? )?(?:error|oops|whoops|sorry|whitelabel error page)(?: (?:page|occurred|has occurred))?[.!]*$/i.test(heading.trim());
}

/**
 * XML errors such as S3's `<Error><Code>NoSuchKey</Code><Message>…</Message></Error>`
 * or SOAP faults; other XML is reduced to its text.
 */
export function xmlDocument(xml: string): OriginError {
  const element = (names: string): string => visibleText(new RegExp(`<(${names})\\b[^>]*>([\\s\\S]*?)</\\1\\s*>`, "i").exec(xml)?.[2] ?? "");
  const code = element("Code|errorCode|error_code|faultcode");
  const detail = element("Message|errorMessage|error_message|faultstring|description|detail|reason") || visibleText(xml);
  const result: OriginError = { dialect: "xml" };
  if (detail !== "") result.detail = detail;
  if (code !== "") result.code = code;
  return result;
}

export function plainText(body: string): OriginError {
  return body.trim() === "" ? { dialect: "empty" } : { dialect: "text", detail: body };
}

/** Tags out, script and style content out, character references decoded, whitespace collapsed. */
function visibleText(markup: string): string {
  return decodeEntities(
    markup
      .replace(/<(script|style|template|noscript)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, " ")
      .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1")
      .replace(/<[^>]*>?/g, " "),
  )
    .replace(/\s+/g, " ")
    .trim();
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", copy: "©", reg: "®", trade: "™",
  hellip: "…", mdash: "—", ndash: "–", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”",
  laquo: "«", raquo: "»", middot: "·", bull: "•", euro: "€", times: "×",
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]{2,8}));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return Object.hasOwn(NAMED_ENTITIES, name) ? (NAMED_ENTITIES[name] ?? whole) : whole;
    const point = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? "", 16);
    // HTML §13.2.5.80: NUL, surrogates and out-of-range references become U+FFFD.
    const valid = point > 0 && point <= 0x10ffff && (point < 0xd800 || point > 0xdfff);
    return String.fromCodePoint(valid ? point : 0xfffd);
  });
}
