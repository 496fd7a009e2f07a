/**
 * What an origin wrote becomes public text here. Three steps, in this order:
 * control characters out, leak check on the whole text, then the length bound
 * (bounding first could cut a connection string in half and let the rest past
 * the patterns: a partial leak is still a leak).
 */

// C0 and C1 controls (newlines and tabs included) and Unicode line separators
// become one space: a detail is a single line (RFC 9457 §3.1.4 is prose, and
// log lines and terminal output must not be forged through it). Single plain
// spaces are left alone: replacing each of them costs more than the rest.
const CONTROL_OR_SPACE_RUN = /[\s\u0000-\u001F\u007F-\u009F]{2,}|[^\S ]|[\u0000-\u001F\u007F-\u009F]/g;
// Invisible format characters that can reorder or hide text (bidi overrides,
// zero-width space, BOM) are removed outright. ZWJ/ZWNJ stay: emoji use them.
const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

// Anything but printable ASCII, or a double space: only then is there something to strip.
const NOT_PLAIN = /[^\x20-\x7e]| {2}/;

/** One line of visible text: controls become spaces, runs of space collapse. */
export function stripControls(text: string): string {
  if (!NOT_PLAIN.test(text)) return text.trim();
  return text.replace(INVISIBLE, "").replace(CONTROL_OR_SPACE_RUN, " ").trim();
}

/** At most `max` characters, the last being "…" when text was cut. Never splits a surrogate pair. */
export function boundLength(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return "";
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/**
 * Shapes of internals that must not reach a client, whatever the status:
 * stack frames, source paths, credentials, private hosts and addresses.
 * Each is anchored on something rare in prose so ordinary messages pass.
 */
const LEAK_PATTERNS: readonly RegExp[] = [
  // JavaScript frames: "at fn (/app/x.js:1:2)", "at async file:///srv/x.mjs:3:9".
  /\bat (?:async )?(?:new )?(?:[\w$.<>[\]]+ )?\(?(?:file:\/\/|node:|webpack:|\/|[A-Za-z]:\\)[^\s()]*:\d+(?::\d+)?\)?/,
  // JVM and .NET frames: "at com.x.Y.z(Y.java:42)", "at App.Svc.Get(Int32 id)".
  /\bat (?:[\w$`]+\.){2,}[\w$`<>]+\([^()]*\)/,
  /\([\w$-]+\.(?:java|kt|scala|groovy|cs|vb|fs):(?:line )?\d+\)/,
  /\bException in thread "/,
  /\bCaused by: [\w$]+(?:\.[\w$]+)+/,
  // Python, PHP, Go and Ruby traces.
  /\bTraceback \(most recent call last\)/,
  /\bFile "[^"]*", line \d+/,
  /\bStack trace:|#\d+ \{main\}|\bPHP (?:Fatal|Parse|Warning|Notice) error\b/i,
  /\bgoroutine \d+ \[|\bpanic: runtime error\b/,
  /\.rb:\d+:in [`']/,
  // Absolute paths under system roots, anywhere in the text.
  /(?:^|[\s"'(=:,[])\/(?:var|usr|home|opt|etc|root|Users|proc|private|srv|mnt|nix|snap)\/[\w.@+-]/,
  // Paths under deploy roots that end in a source or config file: "/app/server.js".
  /(?:^|[\s"'(=:,[])\/(?:app|src|code|workspace|tmp|data|lib|build|dist|www)(?:\/[\w.@+-]+)*\/[\w@+-]+\.(?:[cm]?js|tsx?|jsx|py|rb|php|java|kt|cs|go|rs|exs?|scala|pl|sh|jar|dll|so|class|json|ya?ml|toml|ini|conf|env|log|sql|db|sqlite)\b/,
  /\bnode_modules\/|\bsite-packages\/|\bWEB-INF\//,
  // Windows drive and UNC paths, file URLs.
  /\b[A-Za-z]:\\[\w .$-]/,
  /\\\\[\w.-]+\\[\w$.-]/,
  /\bfile:\/\//i,
  // Connection strings and credentials: "postgres://user:pass@db/x", "Password=...".
  /:\/\/[^\s/?#@]*:[^\s/?#@]*@/,
  /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|memcached|ldaps?|nats|kafka):\/\//i,
  /\bjdbc:|\b(?:password|pwd)=[^\s;&]|\b(?:server|data source)=[^;]*;/i,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----|\bAKIA[0-9A-Z]{16}\b|\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+/,
  /\bSQLSTATE\b|\bORA-\d{5}\b/,
  // Internal host names (RFC 6762 .local, RFC 8375 home.arpa, Kubernetes svc, cloud .internal).
  /[a-z0-9-]\.(?:internal|local(?:domain)?|lan|intranet|corp|svc|home\.arpa)\b/i,
  /\blocalhost:\d|\/\/localhost\b/i,
  // Private, loopback and link-local addresses (RFC 1918, RFC 1122, RFC 3927, RFC 4193, RFC 4291).
  /(?<![\w.])(?:10\.\d{1,3}|127\.\d{1,3}|169\.254|192\.168|172\.(?:1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}(?!\.?\d)/,
  /(?<![\w:])(?:f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]):[0-9a-f:]*:[0-9a-f]/i,
];

// One pass per case mode instead of one per pattern: this runs on every
// string an origin sends, and a single alternation scans the text once.
const combine = (caseInsensitive: boolean): RegExp =>
  new RegExp(
    LEAK_PATTERNS.filter((p) => p.flags.includes("i") === caseInsensitive).map((p) => `(?:${p.source})`).join("|"),
    caseInsensitive ? "i" : "",
  );
const LEAK = combine(false);
const LEAK_IGNORING_CASE = combine(true);

/** True when the text carries something internal (see LEAK_PATTERNS). */
export function looksLeaky(text: string): boolean {
  return LEAK.test(text) || LEAK_IGNORING_CASE.test(text);
}

/**
 * Origin text made public: one line, leak-free, bounded. Undefined when
 * nothing is left or something leaked; the caller then falls back to generic
 * text, so a leak is dropped whole, never in part.
 */
export function publicText(raw: string, maxLength: number): string | undefined {
  const text = stripControls(raw);
  if (text === "" || looksLeaky(text)) return undefined;
  return boundLength(text, maxLength);
}
