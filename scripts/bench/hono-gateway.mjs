// The peer a Workers user would otherwise write by hand: a Hono app with
// Hono's own bearerAuth, bodyLimit and hono/proxy, in front of the same
// origin. Bundled by index.mjs with esbuild (hono from node_modules) and run
// in workerd exactly like the bare Worker. ORIGIN and TOKEN are bindings.
import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import { proxy } from "hono/proxy";

// The gateway's bindings need the class; the peer never calls it.
export class RateLimiter extends DurableObject {}

const app = new Hono();
let auth;
app.use("*", (c, next) => (auth ??= bearerAuth({ token: c.env.TOKEN }))(c, next));
app.use("*", bodyLimit({ maxSize: 1024 * 1024 }));
app.all("*", (c) => {
  const url = new URL(c.req.url);
  return proxy(`${c.env.ORIGIN}${url.pathname}${url.search}`, { ...c.req, headers: { ...c.req.header(), authorization: undefined } });
});

export default app;
