// Microbenchmark of normalizeOriginError (the pure part of origin error
// normalization). Not a test: it prints microseconds per error.
//
//   npm run bench:normalize [-- <part of a case name>]
//
// The TypeScript source is bundled with esbuild into a temp dir and imported,
// so this measures the same code the Worker runs (on Node's V8, not workerd).
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "portcullis-bench-"));
const outfile = join(dir, "normalize.mjs");
await build({
  entryPoints: [join(root, "src/normalize/normalize-origin-error.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  outfile,
  logLevel: "error",
});
const { normalizeOriginError } = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });

const options = { exposeServerErrors: false, maxDetailLength: 500, codeTypes: { InvalidPayload: { type: "https://errors.example.com/invalid-payload" } } };
const context = { requestId: "0190b7e2-6a1f-7c3e-9d41-2f5a8c1e4b77", instance: "/v1/orders/42" };

/** Pads `make(i)` output to about `bytes` by growing i. */
function sized(bytes, make) {
  let i = 1;
  while (make(i + 1).length <= bytes) i += 1;
  return make(i);
}

const json1k = sized(1024, (n) =>
  JSON.stringify({
    type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    title: "One or more validation errors occurred.",
    status: 400,
    detail: "The order could not be placed: 3 fields are invalid.",
    traceId: "00-9e02a91b64ac56904703a3a69ea9101d-56be90a29d0b0b25-00",
    errors: Object.fromEntries(Array.from({ length: n }, (_, i) => [`items[${i}].quantity`, [`Quantity of item ${i} must be between 1 and 99.`]])),
  }),
);
const json64k = sized(64 * 1024, (n) =>
  JSON.stringify({
    errors: Array.from({ length: n }, (_, i) => ({
      status: "422",
      code: "invalid_attribute",
      title: "Invalid Attribute",
      detail: `Line ${i}: the SKU "sku-${i}" is not in the catalog.`,
      source: { pointer: `/data/attributes/lines/${i}/sku` },
    })),
  }),
);
const html1k = sized(1024, (n) =>
  `<!DOCTYPE html><html><head><title>400 Bad Request</title><style>body{font-family:sans-serif}</style></head><body><h1>Bad Request</h1><p>Your browser sent a request that this server could not understand.</p>${"<p>Please check the request &amp; try again.</p>".repeat(n)}<hr><address>Apache Server at api.example.com Port 443</address></body></html>`,
);
const text1k = sized(1024, (n) => `Invalid request: ${"the field 'reference' must be 8 to 32 letters or digits; ".repeat(n)}see the API documentation.`);

const fieldMap64k = sized(64 * 1024, (n) =>
  JSON.stringify({
    message: "The given data was invalid.",
    errors: Object.fromEntries(Array.from({ length: n }, (_, i) => [`lines.${i}.sku`, [`The lines.${i}.sku field is required.`]])),
  }),
);
const trace64k = sized(64 * 1024, (n) =>
  JSON.stringify({
    timestamp: "2024-05-01T10:00:00.000+00:00",
    status: 400,
    error: "Bad Request",
    trace: `org.springframework.web.bind.MethodArgumentNotValidException: Validation failed\n${"\tat com.example.orders.OrderController.create(OrderController.java:42)\n".repeat(n)}`,
    message: "Validation failed for object='orderDto'. Error count: 1",
    path: "/orders",
  }),
);
const graphql1k = sized(1024, (n) =>
  JSON.stringify({
    errors: Array.from({ length: n }, (_, i) => ({ message: `Variable "$id${i}" got invalid value "x".`, locations: [{ line: 1, column: 8 + i }], extensions: { code: "BAD_USER_INPUT" } })),
    data: null,
  }),
);
const nested1k = sized(1024, (n) =>
  JSON.stringify({ result: { outcome: { message: "The coupon has expired", meta: Array.from({ length: n }, (_, i) => ({ k: `key-${i}`, v: i })) } } }),
);

const cases = [
  ["1 KiB JSON (ASP.NET problem details)", 400, "application/problem+json", json1k, 50_000],
  ["1 KiB JSON (GraphQL errors)", 400, "application/json", graphql1k, 50_000],
  ["1 KiB JSON (message three levels down)", 400, "application/json", nested1k, 50_000],
  ["64 KiB JSON (JSON:API, many errors)", 422, "application/vnd.api+json", json64k, 1_000],
  ["64 KiB JSON (Laravel, a long errors map)", 422, "application/json", fieldMap64k, 1_000],
  ["64 KiB JSON (Spring, a long stack trace)", 400, "application/json", trace64k, 1_000],
  ["1 KiB HTML page", 400, "text/html; charset=utf-8", html1k, 50_000],
  ["1 KiB plain text", 400, "text/plain", text1k, 50_000],
];

// The machine may be shared: each case runs ROUNDS times and the median is printed.
const ROUNDS = 5;
console.log(`normalizeOriginError on Node ${process.version} (median of ${ROUNDS} rounds)`);
// `npm run bench:normalize -- 64` runs only the cases whose name contains "64".
const only = process.argv[2];
for (const [name, status, contentType, text, iterations] of cases) {
  if (only !== undefined && !name.includes(only)) continue;
  const input = { status, headers: new Headers({ "content-type": contentType }), text, truncated: false };
  for (let i = 0; i < Math.min(iterations, 5_000); i++) normalizeOriginError(input, options, context);
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations / ROUNDS; i++) normalizeOriginError(input, options, context);
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / (iterations / ROUNDS));
  }
  const micros = rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
  console.log(`${name.padEnd(44)} ${String(text.length).padStart(6)} B  ${micros.toFixed(2).padStart(8)} µs/error`);
}
