/**
 * Reason phrases and public fallback details per status.
 *
 * RFC 9457 §4.2.1: with the type "about:blank" the title SHOULD be the status's
 * recommended reason phrase, so this table follows the IANA HTTP Status Code
 * Registry (RFC 9110 §15 names: 413 "Content Too Large", 422 "Unprocessable
 * Content"), plus the codes registered by RFC 6585, RFC 4918, RFC 8297,
 * RFC 8470, RFC 7725 and RFC 2774.
 */

const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: "Continue",
  101: "Switching Protocols",
  102: "Processing",
  103: "Early Hints",
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  207: "Multi-Status",
  208: "Already Reported",
  226: "IM Used",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  305: "Use Proxy",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  417: "Expectation Failed",
  // 418 is registered as "(Unused)" (RFC 9110 §15.5.19): no phrase to recommend.
  421: "Misdirected Request",
  422: "Unprocessable Content",
  423: "Locked",
  424: "Failed Dependency",
  425: "Too Early",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
  506: "Variant Also Negotiates",
  507: "Insufficient Storage",
  508: "Loop Detected",
  510: "Not Extended",
  511: "Network Authentication Required",
};

/** The registered reason phrase, or the status class's name for unregistered codes. */
export function reasonPhrase(status: number): string {
  const phrase = REASON_PHRASES[status];
  if (phrase !== undefined) return phrase;
  return status >= 500 ? "Server Error" : "Client Error";
}

/**
 * The detail sent when the origin's own text cannot be: the origin said
 * nothing, what it said leaked internals, or it is a 5xx kept private.
 * 5xx texts are deliberately one per class: the status already says which.
 */
export function genericDetail(status: number): string {
  if (status >= 500) return "The origin failed to process the request.";
  return `The origin rejected the request with ${status} ${reasonPhrase(status)}.`;
}

/** Reason phrases that RFC 9110 renamed, still sent by many servers (RFC 7231 §6, RFC 2616 §10). */
const FORMER_PHRASES: Readonly<Record<number, readonly string[]>> = {
  413: ["Payload Too Large", "Request Entity Too Large"],
  414: ["Request-URI Too Long", "Request URI Too Long"],
  416: ["Requested Range Not Satisfiable"],
  422: ["Unprocessable Entity"],
};

/** Letters and digits only, without the words that add nothing ("error", "http", "status"). */
function bare(text: string): string {
  let out = "";
  const lower = text.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += lower[i];
  }
  return out.includes("error") || out.includes("http") || out.includes("status") ? out.replace(/error|http|status/g, "") : out;
}

const PHRASES: readonly (readonly string[])[] = Array.from({ length: 600 }, (_, status) =>
  status < 100 ? [] : [reasonPhrase(status), ...(FORMER_PHRASES[status] ?? [])],
);
/** Per status, the bare forms of its phrases, and how long a text restating them can be ("HTTP Error 404: " around). */
const BARE_PHRASES = PHRASES.map((phrases) => phrases.map(bare));
const MAX_RESTATEMENT = PHRASES.map((phrases) => Math.max(0, ...phrases.map((p) => p.length)) + 16);

/**
 * "Not Found", "404 Not Found", "NotFound", "Error 404", "Error": words that
 * add nothing to the status, so they never stand in for a message that does.
 */
export function restatesStatus(text: string, status: number): boolean {
  // Reason phrases are short English ASCII: a longer or other text says something of its own.
  if (text.length > (MAX_RESTATEMENT[status] ?? 48) || /[^\x00-\x7f]/.test(text)) return false;
  let said = bare(text);
  if (said.startsWith(String(status))) said = said.slice(3);
  return said === "" || (BARE_PHRASES[status] ?? []).includes(said);
}
