// The bundled demo origin behind `npm start`: a small API on 127.0.0.1:8788 so
// the gateway has something to front before you point it at your own API.
import { createServer } from "node:http";
import { DIALECTS } from "./dialects.mjs";

const users = new Map([
  ["1", { id: "1", name: "Ada Lovelace", email: "ada@example.com" }],
  ["2", { id: "2", name: "Alan Turing", email: "alan@example.com" }],
]);

function json(res, status, value, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(value, null, 2));
}

/** The body's bytes in the charset its Content-Type declares. */
export function encodeBody(dialect) {
  const latin1 = /charset=(iso-8859-1|latin1|windows-1252)/i.test(dialect.headers["content-type"] ?? "");
  return Buffer.from(dialect.body, latin1 ? "latin1" : "utf8");
}

export function demoOrigin() {
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://origin.local");
    const path = url.pathname;

    const dialect = DIALECTS.find((d) => d.path === path);
    if (dialect) {
      res.writeHead(dialect.status, dialect.headers);
      return res.end(encodeBody(dialect));
    }
    if (path === "/") {
      return json(res, 200, {
        service: "Portcullis demo origin",
        endpoints: ["/users/:id", "/echo", "/slow?ms=", "/uploads/*", "/scim/v2/Users", ...DIALECTS.map((d) => d.path)],
      });
    }
    const user = /^\/users\/([^/]+)$/.exec(path);
    if (user) {
      const found = users.get(user[1]);
      return found ? json(res, 200, found) : json(res, 404, { error: { status: 404, message: `No user with id ${user[1]}.`, code: "UserNotFound" } });
    }
    if (path === "/echo" || path.startsWith("/scim/v2/") || path.startsWith("/uploads/") || path.startsWith("/private/")) {
      // Echoes what the origin received: method, target, headers and body size.
      let bytes = 0;
      req.on("data", (chunk) => (bytes += chunk.length));
      req.on("end", () => json(res, 200, { method: req.method, url: req.url, headers: req.headers, bodyBytes: bytes }));
      return;
    }
    if (path === "/slow") {
      const ms = Math.min(Number(url.searchParams.get("ms") ?? 5000), 120_000);
      const timer = setTimeout(() => json(res, 200, { waited_ms: ms }), ms);
      req.socket.on("close", () => clearTimeout(timer));
      return;
    }
    json(res, 404, { error: { status: 404, message: `Nothing at ${path}.`, code: "NotFound" } });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.DEMO_ORIGIN_PORT ?? 8788);
  demoOrigin().listen(port, "127.0.0.1", () => console.log(`demo origin on http://127.0.0.1:${port}`));
}
