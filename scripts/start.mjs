// `npm start`: the gateway on http://127.0.0.1:8787 (wrangler dev, local only)
// in front of the bundled demo origin on http://127.0.0.1:8788.
import { spawn } from "node:child_process";
import { demoOrigin } from "./demo-origin.mjs";

const GATEWAY = "http://127.0.0.1:8787";
const origin = demoOrigin();
await new Promise((resolve, reject) => {
  origin.once("error", reject);
  origin.listen(8788, "127.0.0.1", resolve);
});
console.log("demo origin listening on http://127.0.0.1:8788");

const wrangler = spawn("wrangler", ["dev", "--ip", "127.0.0.1", "--port", "8787", "--local", ...process.argv.slice(2)], {
  stdio: ["inherit", "pipe", "inherit"],
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});

let announced = false;
wrangler.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready on/i.test(chunk.toString())) {
    announced = true;
    console.log(`
Portcullis is running on ${GATEWAY} in front of the demo origin. Try:

  curl -i ${GATEWAY}/users/1                                   # proxied as is
  curl -i ${GATEWAY}/users/42                                  # origin error -> problem details
  curl -i -X DELETE ${GATEWAY}/uploads/a                       # 405 with Allow
  curl -i -X POST ${GATEWAY}/scim/v2/Users -H 'content-type: text/plain' -d x   # 415
  curl -i ${GATEWAY}/errors/scim                               # a SCIM error, normalized
  curl -i '${GATEWAY}/slow?ms=5000'                            # 504: the route's timeout is 2 s
  curl -i ${GATEWAY}/replicas/users/1                          # first upstream URL down: the second answers
  curl -i ${GATEWAY}/private/orders                            # 401 with a Bearer challenge
  curl -i -H 'X-API-Key: pcl_VK5heIrIecLiXmTm4IQDxZD7aOLSaFFPUzz6dtQgo6M' ${GATEWAY}/private/orders
                                                               # the demo key: the origin sees X-Consumer-Id

Press Ctrl+C to stop.
`);
  }
});

const stop = () => {
  wrangler.kill("SIGINT");
  origin.close();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", (code) => {
  origin.close();
  process.exit(code ?? 0);
});
