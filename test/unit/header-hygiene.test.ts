import { describe, expect, it } from "vitest";
import { downstreamResponse, upstreamRequestHeaders } from "../../src/proxy/header-hygiene";

const client = { ip: "203.0.113.7", proto: "https", host: "api.example.com" };

describe("hop-by-hop headers (RFC 9110 §7.6.1)", () => {
  it("strips the fixed list and every header Connection names, in both directions", () => {
    const hopByHop = new Headers({
        connection: "close, X-Secret-Hop",
        "x-secret-hop": "1",
        "keep-alive": "timeout=5",
        "proxy-connection": "keep-alive",
        "proxy-authorization": "Basic Zm9vOmJhcg==",
        te: "trailers",
        trailer: "x-checksum",
        "transfer-encoding": "chunked",
        upgrade: "websocket",
        accept: "application/json",
      });
    expect([...downstreamResponse(new Response(null, { headers: hopByHop })).headers.keys()]).toEqual(["accept", "via"]);
    const upstream = upstreamRequestHeaders(hopByHop, client);
    expect([...upstream.keys()].filter((n) => !["forwarded", "via"].includes(n) && !n.startsWith("x-forwarded-"))).toEqual(["accept"]);
  });
});

describe("forwarding headers to the origin", () => {
  it("replaces client-sent Forwarded / X-Forwarded-* with the real connection", () => {
    const out = upstreamRequestHeaders(
      new Headers({
        forwarded: "for=1.2.3.4",
        "x-forwarded-for": "1.2.3.4",
        "x-forwarded-host": "evil.example",
        "x-forwarded-prefix": "/admin",
        "x-real-ip": "1.2.3.4",
        "cf-connecting-ip": "203.0.113.7",
        authorization: "Bearer t",
      }),
      client,
    );
    expect(out.get("x-forwarded-for")).toBe("203.0.113.7");
    expect(out.get("x-forwarded-host")).toBe("api.example.com");
    expect(out.get("x-forwarded-proto")).toBe("https");
    expect(out.get("forwarded")).toBe("for=203.0.113.7;proto=https;host=api.example.com");
    expect(out.has("x-forwarded-prefix")).toBe(false);
    expect(out.has("x-real-ip")).toBe(false);
    expect(out.get("authorization")).toBe("Bearer t");
    expect(out.get("via")).toBe("1.1 portcullis");
  });

  it("quotes IPv6 nodes and host:port in Forwarded (RFC 7239 §4, §6)", () => {
    const out = upstreamRequestHeaders(new Headers({ via: "1.1 edge" }), { ip: "2001:db8::1", proto: "http", host: "127.0.0.1:8787" });
    expect(out.get("forwarded")).toBe('for="[2001:db8::1]";proto=http;host="127.0.0.1:8787"');
    expect(out.get("via")).toBe("1.1 edge, 1.1 portcullis");
  });
});

describe("response headers to the client", () => {
  it("keeps the origin's headers, drops hop-by-hop ones and adds Via", () => {
    const upstream = new Headers({ "content-type": "text/plain", etag: '"abc"', connection: "x-internal", "x-internal": "1" });
    upstream.append("set-cookie", "a=1; Path=/");
    upstream.append("set-cookie", "b=2; Path=/");
    const out = downstreamResponse(new Response("body", { status: 201, statusText: "Made", headers: upstream })).headers;
    expect(out.get("etag")).toBe('"abc"');
    expect(out.has("x-internal")).toBe(false);
    expect(out.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(out.get("via")).toBe("1.1 portcullis");
  });
});

describe("underscore spellings of the gateway's own headers", () => {
  it("are removed, as CGI, PHP and WSGI servers read them as the dashed name", () => {
    const reserved = new Set(["x-consumer-id", "x-api-key", "authorization"]);
    const out = upstreamRequestHeaders(
      new Headers({
        "x_consumer_id": "root",
        "X_Api_Key": "stolen",
        "x_forwarded_for": "6.6.6.6",
        "x_real_ip": "6.6.6.6",
        "x_request_id": "forged",
        "transfer_encoding": "chunked",
        "x_custom_header": "kept",
        "x-custom-header": "kept too",
      }),
      client,
      { remove: new Set(), reserved },
    );
    expect(out.get("x_custom_header")).toBe("kept");
    expect(out.get("x-custom-header")).toBe("kept too");
    for (const name of ["x_consumer_id", "x_api_key", "x_forwarded_for", "x_real_ip", "x_request_id", "transfer_encoding"]) expect(out.has(name), name).toBe(false);
  });
});
