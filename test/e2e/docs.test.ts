// README and docs/ are what a newcomer follows: every link between them (and
// to the code) must land on a file and a heading that exist, and README's copy
// of the example configuration must be the file `npm start` runs, with keys
// that file accepts.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";

const pages = ["README.md", ...readdirSync("docs").filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** Markdown outside fenced code blocks. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "");
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, title] of prose(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = (title ?? "").trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, "").replace(/ /g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

describe("README and docs/", () => {
  it("link only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(page, "utf8");
      for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (target === undefined || /^[a-z]+:/i.test(target)) continue;
        const [path = "", fragment] = target.split("#");
        const file = path === "" ? page : normalize(join(dirname(page), path));
        if (!existsSync(file)) {
          broken.push(`${page}: ${target} (no file ${file})`);
          continue;
        }
        if (fragment !== undefined && file.endsWith(".md") && !anchors(readFileSync(file, "utf8")).has(fragment)) broken.push(`${page}: ${target} (no heading #${fragment} in ${file})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("README shows examples/own-api/wrangler.toml as it is, and its curl keys are the file's", () => {
    const readme = readFileSync("README.md", "utf8");
    const example = readFileSync("examples/own-api/wrangler.toml", "utf8");
    expect(readme).toContain(`\`\`\`toml\n${example.trimEnd()}\n\`\`\``);
    const digests = Object.keys((parse(example) as { vars: { PORTCULLIS: { auth: { keys: Record<string, unknown> } } } }).vars.PORTCULLIS.auth.keys);
    const keys = new Set(readme.match(/pcl_try_[A-Za-z0-9_]+/g));
    expect(keys.size).toBe(2);
    for (const key of keys) expect(digests).toContain(createHash("sha256").update(key).digest("hex"));
  });
});
