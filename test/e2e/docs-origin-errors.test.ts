// docs/origin-errors.md and README's summary must say exactly what the code
// does: every before/after pair in them is the normalizer's own output.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../scripts/dialects.mjs";
import type { normalizeOriginError as Normalize } from "../../src/normalize/normalize-origin-error";

const REQUEST_ID = "0190b7e2-6a1f-7c3e-9d41-2f5a8c1e4b77";

interface Pair {
  name: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  problem: Record<string, unknown>;
}

/** "The origin answers `N` with" ```http headers, blank line, body``` … "The client gets" ```json problem```. */
function pairs(markdown: string): Pair[] {
  const found: Pair[] = [];
  const pattern = /#{3,4}\s+(.+)\n+The origin answers `(\d{3})` with\n+```http\n([\s\S]*?)\n```\n+The client gets[^\n]*\n+```json\n([\s\S]*?)\n```/g;
  for (const m of markdown.matchAll(pattern)) {
    const [, name = "", status = "", http = "", json = ""] = m;
    const blank = http.indexOf("\n\n");
    const head = blank === -1 ? http : http.slice(0, blank);
    const headers: Record<string, string> = {};
    for (const line of head.split("\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    found.push({ name, status: Number(status), headers, body: blank === -1 ? "" : http.slice(blank + 2), problem: JSON.parse(json) as Record<string, unknown> });
  }
  return found;
}

let normalize: typeof Normalize;

beforeAll(async () => {
  const out = await build({ entryPoints: ["src/normalize/normalize-origin-error.ts"], bundle: true, format: "esm", platform: "neutral", write: false, logLevel: "silent" });
  normalize = ((await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0]?.text ?? "").toString("base64")}`)) as { normalizeOriginError: typeof Normalize }).normalizeOriginError;
});

function check(pair: Pair): void {
  const instance = typeof pair.problem.instance === "string" ? pair.problem.instance : "/";
  const { problem } = normalize(
    { status: pair.status, headers: new Headers(pair.headers), text: pair.body, truncated: false },
    { exposeServerErrors: false, maxDetailLength: 500, codeTypes: {} },
    { requestId: REQUEST_ID, instance },
  );
  expect(problem, pair.name).toEqual(pair.problem);
}

describe("docs/origin-errors.md", () => {
  const doc = readFileSync("docs/origin-errors.md", "utf8");
  const documented = pairs(doc);

  it("shows every family of the catalog, once", () => {
    expect(documented.map((p) => p.name)).toEqual(DIALECTS.map((d) => d.name));
  });

  it("each pair is what the code does", () => {
    for (const pair of documented) check(pair);
  });

  it("each body is the catalog's, byte for byte", () => {
    for (const pair of documented) {
      const example = DIALECTS.find((d) => d.name === pair.name);
      expect(pair.body, pair.name).toBe(example?.body.replace(/\n$/, ""));
    }
  });
});

describe("README's summary", () => {
  it("its before/after is what the code does", () => {
    const readme = readFileSync("README.md", "utf8");
    const start = readme.indexOf("## Every error is a problem");
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
    const shown = pairs(section);
    expect(shown.length).toBeGreaterThan(0);
    for (const pair of shown) check(pair);
  });
});
