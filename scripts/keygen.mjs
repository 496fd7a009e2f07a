#!/usr/bin/env node
// `npm run keygen [-- <consumer> [scope ...]]`: mints a new API key and prints
// what to store. The gateway keeps only the key's SHA-256 digest; the key
// itself is shown once, here, and goes to the consumer.
import { createHash, randomBytes } from "node:crypto";

const [consumer = "my-consumer", ...scopes] = process.argv.slice(2);
// Same checks as the gateway's config (src/auth/key-record.ts, src/auth/scopes.ts).
if (!/^[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?$/.test(consumer)) {
  console.error(`✗ consumer id: up to 256 printable ASCII characters, got ${JSON.stringify(consumer)}`);
  process.exit(1);
}
for (const scope of scopes) {
  if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)) {
    console.error(`✗ scope ${JSON.stringify(scope)}: printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3)`);
    process.exit(1);
  }
}

// 32 random bytes = 256 bits of entropy; the prefix makes leaked keys easy to spot (and to scan for).
const key = `pcl_${randomBytes(32).toString("base64url")}`;
const digest = createHash("sha256").update(key, "utf8").digest("hex");
const record = { consumer, scopes };
const toml = `"${digest}" = { consumer = ${JSON.stringify(consumer)}, scopes = [${scopes.map((s) => JSON.stringify(s)).join(", ")}] }`;
const json = JSON.stringify(record);
const shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

console.log(`API key (give it to the consumer; it is not stored anywhere and cannot be shown again):

  ${key}

SHA-256 digest (what the gateway stores):

  ${digest}

Either add this line under [vars.PORTCULLIS.auth.keys] in wrangler.toml (and redeploy):

  ${toml}

or, without a redeploy, put it in the KV namespace named by auth.kv_binding:

  npx wrangler kv key put --binding API_KEYS --remote ${digest} ${shellQuote(json)}
  (use --local instead of --remote for npm start; add --env production for that environment)

Revoke it later with: npx wrangler kv key delete --binding API_KEYS --remote ${digest}
(or put the record again with "disabled": true). Revocation takes effect within auth.kv_cache_ttl_seconds.`);
