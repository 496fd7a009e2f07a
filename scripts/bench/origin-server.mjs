// The benchmark's origin, in its own process so it never competes with the
// load generator's event loop. Loopback only. Forked by index.mjs, which
// receives { url } once it listens and stops it by disconnecting.
//
//   GET  /error/*                 404 with a JSON error body (an origin error to normalize)
//   GET  /.well-known/jwks.json   the key set in BENCH_JWKS (for the JWT scenario)
//   POST /upload/*                reads the whole body, answers {"bytes": n}
//   GET  /download/*?bytes=n      n bytes in 64 KiB chunks, no Content-Length (chunked);
//                                 with &length=1, with a Content-Length
//   anything else                 200 with a small JSON body and a Content-Length
import { createServer } from "node:http";

const OK = Buffer.from(JSON.stringify({ id: "1", name: "Ada Lovelace", email: "ada@example.com" }));
const ERROR = Buffer.from(JSON.stringify({ error: { status: 404, message: "No user with id 42.", code: "UserNotFound" } }));
const JWKS = Buffer.from(process.env.BENCH_JWKS ?? '{"keys":[]}');
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (url.startsWith("/upload/")) {
    let bytes = 0;
    req.on("data", (chunk) => (bytes += chunk.length));
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ bytes })));
    req.on("error", () => res.destroy());
    return;
  }
  req.resume();
  if (url.startsWith("/download/")) {
    const query = new URL(url, "http://origin").searchParams;
    const total = Number(query.get("bytes") ?? 0);
    const length = query.get("length") === "1" ? { "content-length": total } : {};
    res.writeHead(200, { "content-type": "application/octet-stream", ...length });
    let sent = 0;
    const write = () => {
      while (sent < total) {
        const chunk = total - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, total - sent);
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", write);
      }
      res.end();
    };
    res.on("close", () => (sent = total));
    return write();
  }
  if (url.startsWith("/error/")) {
    return res.writeHead(404, { "content-type": "application/json", "content-length": ERROR.length }).end(ERROR);
  }
  if (url === "/.well-known/jwks.json") {
    return res.writeHead(200, { "content-type": "application/jwk-set+json", "content-length": JWKS.length }).end(JWKS);
  }
  res.writeHead(200, { "content-type": "application/json", "content-length": OK.length }).end(OK);
});
// Idle gaps between phases must not close the clients' pooled connections.
server.keepAliveTimeout = 120_000;
server.requestTimeout = 0;

server.listen(0, "127.0.0.1", () => {
  process.send?.({ url: `http://127.0.0.1:${server.address().port}` });
});
process.on("disconnect", () => process.exit(0));
