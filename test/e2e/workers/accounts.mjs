// A second Worker, bound to the gateway as a service in the e2e suite
// (test/e2e/upstreams-service.test.ts): it answers as an API Worker would,
// errors in its own format included.
//
// Matched on the last path segment, so that any base path reaches it.
//   /me       200 with what it was sent: URL, Host, forwarding and identity headers, body
//   /taken    409 {"error": {"message", "code"}}
//   /crash    500 text with a stack frame (for the operator's eyes only)
//   /throw    throws (the gateway's fetch rejects)
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname.slice(pathname.lastIndexOf("/"))) {
      case "/me":
        return Response.json({
          url: request.url,
          host: request.headers.get("host"),
          forwardedHost: request.headers.get("x-forwarded-host"),
          requestId: request.headers.get("x-request-id"),
          body: await request.text(),
        });
      case "/taken":
        return Response.json({ error: { message: "The email is already taken.", code: "EmailTaken" } }, { status: 409 });
      case "/crash":
        return new Response("TypeError: cannot read properties of undefined\n    at handler (/srv/accounts/src/index.ts:41:7)", { status: 500 });
      case "/throw":
        throw new Error("accounts blew up at /srv/accounts/src/index.ts:12");
      default:
        return Response.json({ error: { message: `No route for ${pathname}.` } }, { status: 404 });
    }
  },
};
