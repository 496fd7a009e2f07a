// `npm start`: the gateway (wrangler dev, local only) in front of the bundled
// demo origin, or in front of your own API with --origin.
//
//   npm start                                        demo origin on :8788, gateway on :8787
//   npm start -- --origin http://localhost:3000      your API; no demo origin
//   npm start -- --config my-api.toml --port 8080    another wrangler.toml (its ORIGIN_URL; no demo origin), another port
//   npm start -- --env staging                       an [env.*] of the config
// Anything else after `--` goes to wrangler dev as it is.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { demoOrigin } from "./demo-origin.mjs";

const { values: options, tokens } = parseArgs({
  options: {
    origin: { type: "string" },
    config: { type: "string", short: "c" },
    port: { type: "string", default: "8787" },
    env: { type: "string", short: "e" },
    help: { type: "boolean", short: "h" },
  },
  strict: false,
  tokens: true,
});
if (options.help === true) {
  console.log(`npm start [-- --origin URL] [--config wrangler.toml] [--port 8787] [--env NAME] [wrangler dev options…]

  --origin URL   put the gateway in front of the API at URL (sets ORIGIN_URL); no demo origin
  --config FILE  the wrangler.toml to run (default: ./wrangler.toml); no demo origin
  --port N       the gateway's port on 127.0.0.1 (default 8787)
  --env NAME     run the configuration's [env.NAME]`);
  process.exit(0);
}
// Options this script does not know are wrangler dev's.
const known = new Set(["origin", "config", "port", "env", "help"]);
const passThrough = [];
for (const token of tokens) {
  if (token.kind === "option" && !known.has(token.name)) passThrough.push(token.rawName, ...(token.value === undefined ? [] : [token.value]));
  else if (token.kind === "positional") passThrough.push(token.value);
}

const gateway = `http://127.0.0.1:${options.port}`;
const ownOrigin = typeof options.origin === "string" ? options.origin : undefined;
const ownConfig = typeof options.config === "string" ? options.config : undefined;
// The demo origin serves the demo configuration only.
const demo = ownOrigin === undefined && ownConfig === undefined;
let origin;
if (demo) {
  origin = demoOrigin();
  await new Promise((resolve, reject) => {
    origin.once("error", reject);
    origin.listen(8788, "127.0.0.1", resolve);
  });
  console.log("demo origin listening on http://127.0.0.1:8788");
}

const args = ["dev", "--ip", "127.0.0.1", "--port", String(options.port), "--local"];
if (ownConfig !== undefined) args.push("--config", ownConfig);
if (typeof options.env === "string") args.push("--env", options.env);
if (ownOrigin !== undefined) args.push("--var", `ORIGIN_URL:${ownOrigin}`);
args.push(...passThrough);

const wrangler = spawn("wrangler", args, {
  stdio: ["inherit", "pipe", "inherit"],
  // The gateway never reads request.cf: no reason to fetch it (and warn when offline).
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
});

const demoTips = `
Portcullis is running on ${gateway} in front of the demo origin. Try:

  curl -i ${gateway}/users/1                                   # proxied as is
  curl -i ${gateway}/users/42                                  # origin error -> problem details
  curl -i -X DELETE ${gateway}/uploads/a                       # 405 with Allow
  curl -i -X POST ${gateway}/scim/v2/Users -H 'content-type: text/plain' -d x   # 415
  curl -i ${gateway}/errors/scim                               # a SCIM error, normalized
  curl -i '${gateway}/slow?ms=5000'                            # 504: the route's timeout is 2 s
  curl -i ${gateway}/replicas/users/1                          # failover: the first replica refuses, the demo origin answers
  curl -i ${gateway}/private/orders                            # 401 with a Bearer challenge
  curl -i -H 'X-API-Key: pcl_VK5heIrIecLiXmTm4IQDxZD7aOLSaFFPUzz6dtQgo6M' ${gateway}/private/orders
                                                               # the demo key: the origin sees X-Consumer-Id

Press Ctrl+C to stop.
`;
const ownTips = `
Portcullis is running on ${gateway} in front of ${ownOrigin ?? `the ORIGIN_URL of ${ownConfig}`}.
Every request is logged below as one JSON line; \`npm run check${ownConfig === undefined ? "" : ` -- ${ownConfig}`}\`
shows what the configuration does.

Press Ctrl+C to stop.
`;

let announced = false;
// wrangler compares ./worker-configuration.d.ts with the configuration it runs;
// that file types the project's own wrangler.toml (npm run types), so with
// another --config its "types might be out of date" says nothing true.
const typesNotice = /^.*Your types might be out of date.*\n?/m;
wrangler.stdout.on("data", (chunk) => {
  process.stdout.write(ownConfig === undefined ? chunk : chunk.toString().replace(typesNotice, ""));
  if (!announced && /Ready on/i.test(chunk.toString())) {
    announced = true;
    console.log(demo ? demoTips : ownTips);
  }
});

const stop = () => {
  wrangler.kill("SIGINT");
  origin?.close();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", (code) => {
  origin?.close();
  process.exit(code ?? 0);
});
