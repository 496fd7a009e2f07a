// What must never reach a client, and the operator's controls over it.
import { describe, expect, it } from "vitest";
import { JSON_TYPE, blank, normalize } from "./normalize-helper";

const GENERIC_5XX = "The origin failed to process the request.";

describe("5xx: hidden by default", () => {
  const body = JSON.stringify({
    type: "https://errors.example.com/db-unavailable",
    title: "Database unavailable",
    detail: "Primary replica is failing over",
    instance: "/incidents/42",
    code: "DB_FAILOVER",
    errors: { "": ["retry later"] },
    traceId: "00-abc-def-00",
  });

  it("carries only the status, its reason phrase and the generic detail; the log keeps what the origin said", () => {
    const { problem, log } = normalize(503, { "content-type": "application/problem+json" }, body);
    expect(problem).toEqual({ ...blank(503, "Service Unavailable"), detail: GENERIC_5XX });
    expect(log).toEqual({ dialect: "problem-details/aspnet", originDetail: "Primary replica is failing over", code: "DB_FAILOVER" });
  });

  it("exposeServerErrors passes it all on, still through the leak filter", () => {
    const { problem } = normalize(503, { "content-type": "application/problem+json" }, body, { exposeServerErrors: true });
    expect(problem).toEqual({
      type: "https://errors.example.com/db-unavailable",
      title: "Database unavailable",
      status: 503,
      detail: "Primary replica is failing over",
      instance: "/incidents/42",
      request_id: "req-7f3a",
      code: "DB_FAILOVER",
      errors: [{ detail: "retry later", pointer: "" }],
      traceId: "00-abc-def-00",
    });
  });

  it("an operator-mapped code type still applies: the operator made that type public", () => {
    const codeTypes = { DB_FAILOVER: { type: "https://errors.example.com/try-again", title: "Try again shortly" } };
    expect(normalize(503, JSON_TYPE, `{"message":"failover","code":"DB_FAILOVER"}`, { codeTypes }).problem).toEqual({
      ...blank(503, "Try again shortly"),
      type: "https://errors.example.com/try-again",
      detail: GENERIC_5XX,
    });
  });

  it("an HTML error page from a 502 says nothing of the proxy behind it", () => {
    const body = `<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx/1.25.3</center></body></html>`;
    expect(normalize(502, { "content-type": "text/html" }, body).problem).toEqual({ ...blank(502, "Bad Gateway"), detail: GENERIC_5XX });
  });
});

describe("the leak filter, on 4xx too", () => {
  const leaks: [string, string][] = [
    ["a Node stack frame", "Cannot read properties of undefined\n    at getUser (/app/src/users.js:42:17)"],
    ["a Node frame without a function", "failed at file:///srv/api/index.mjs:3:9"],
    ["a Python traceback", 'Traceback (most recent call last):\n  File "/usr/lib/python3.12/site-packages/app.py", line 3, in <module>'],
    ["a Python frame alone", 'error File "app/views.py", line 88, in create'],
    ["a Java frame", "java.lang.NullPointerException\n\tat com.example.users.UserService.find(UserService.java:42)"],
    ["a JVM thread dump", 'Exception in thread "main" java.lang.IllegalStateException'],
    [".NET frames", "at MyApp.Controllers.UsersController.Get(Int32 id)"],
    ["a PHP fatal error", "PHP Fatal error:  Uncaught Error: Call to undefined function foo()"],
    ["a Go panic", "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:"],
    ["a Unix path", "cannot open /var/www/html/config.php"],
    ["a deploy path to a source file", "syntax error in /app/config/settings.yaml"],
    ["a Windows path", "Could not find file 'C:\\inetpub\\wwwroot\\web.config'"],
    ["a connection string URL", "connect ECONNREFUSED postgres://app:s3cret@db.example.com:5432/users"],
    ["a database URL without credentials", "lost connection to mongodb+srv://cluster0.example.net/app"],
    ["an ADO.NET connection string", "Login failed: Server=sql01;Database=Users;User Id=app;Password=hunter2;"],
    ["a Kubernetes service host", "upstream users.default.svc.cluster.local refused the connection"],
    ["a cloud-internal host", "timeout calling ip-10-0-3-7.ec2.internal"],
    ["an RFC 1918 address", "could not reach 192.168.1.20:8080"],
    ["a 10/8 address", "peer 10.12.0.5 reset the connection"],
    ["a 172.16/12 address", "no route to 172.20.14.3"],
    ["localhost with a port", "upstream http://localhost:3000 is down"],
    ["an SQL state", "SQLSTATE[23000]: Integrity constraint violation"],
    ["a private key", "-----BEGIN RSA PRIVATE KEY----- MIIEow"],
  ];
  it.each(leaks)("%s: the whole message is replaced by the generic detail", (_, message) => {
    const { problem, log } = normalize(400, JSON_TYPE, JSON.stringify({ message, code: "E_FAIL" }));
    expect(problem).toEqual({ ...blank(400, "Bad Request"), detail: "The origin rejected the request with 400 Bad Request.", code: "E_FAIL" });
    // The operator's log still has it, on one line.
    expect(log.originDetail).toBe(message.replace(/\s+/g, " ").trim());
  });

  const ordinary = [
    "Look at the timestamp 10:30:15 and try again.",
    "Resource /users/42 not found.",
    "Use version 2.10.3 or later.",
    "The file name must end in .json",
    "Password must be at least 8 characters.",
    "Only https:// URLs are accepted.",
  ];
  it.each(ordinary)("ordinary prose passes: %s", (message) => {
    expect(normalize(400, JSON_TYPE, JSON.stringify({ message })).problem.detail).toBe(message);
  });

  it("drops leaky extension members whole and leaky field errors one by one", () => {
    const body = JSON.stringify({
      type: "https://errors.example.com/validation",
      title: "Validation failed",
      status: 400,
      traceId: "00-abc-def-00",
      debug: { stack: ["at handler (/app/server.js:1:2)"] },
      host: "api-7.internal",
      exception: "Traceback (most recent call last):",
      "srv01.corp": 5,
      errors: { email: ["is invalid"], password: ["rejected by /opt/auth/policy.py"] },
    });
    expect(normalize(400, { "content-type": "application/problem+json" }, body).problem).toEqual({
      type: "https://errors.example.com/validation",
      title: "Validation failed",
      status: 400,
      // Issue 11: with no detail of its own, the field errors that pass are the detail; the leaky one is left out.
      detail: "email: is invalid",
      instance: "/v1/users",
      request_id: "req-7f3a",
      errors: [{ detail: "is invalid", pointer: "/email" }],
      traceId: "00-abc-def-00",
    });
  });

  it("drops a type or instance naming an internal host", () => {
    const body = JSON.stringify({ type: "http://errors.corp/validation", title: "Invalid", status: 400, instance: "http://10.0.0.8/req/1" });
    expect(normalize(400, { "content-type": "application/problem+json" }, body).problem).toEqual({
      ...blank(400, "Invalid"),
      detail: "The origin rejected the request with 400 Bad Request.",
    });
  });
});

describe("text hygiene", () => {
  it("strips control characters, bidi overrides and zero-width characters; newlines become spaces", () => {
    const message = "Bad\u0000 input\r\n\u001b[31mred\u001b[0m \u202Egnp.exe\u202C\u200B done\u0085";
    expect(normalize(400, JSON_TYPE, JSON.stringify({ message })).problem.detail).toBe("Bad input [31mred [0m gnp.exe done");
  });

  it("bounds the detail with an ellipsis, by default at 500 characters", () => {
    const message = "word ".repeat(200);
    const detail = normalize(400, JSON_TYPE, JSON.stringify({ message })).problem.detail;
    expect(detail).toHaveLength(500);
    expect(detail.endsWith("word…")).toBe(true);
  });

  it("bounds at maxDetailLength, never splitting a surrogate pair", () => {
    const { problem } = normalize(400, { "content-type": "text/plain" }, `abcdefgh${"😀".repeat(10)}`, { maxDetailLength: 10 });
    expect(problem.detail).toBe("abcdefgh…");
  });

  it("bounds field error details and extension strings too", () => {
    const long = "x".repeat(50);
    const body = JSON.stringify({ type: "https://e.example/v", title: "V", status: 400, note: long, errors: { a: [long] } });
    const { problem } = normalize(400, { "content-type": "application/problem+json" }, body, { maxDetailLength: 20 });
    expect(problem.note).toBe(`${"x".repeat(19)}…`);
    expect(problem.errors).toEqual([{ detail: `${"x".repeat(19)}…`, pointer: "/a" }]);
  });
});

describe("the code → type map (codeTypes)", () => {
  const codeTypes = {
    EmailAlreadyExists: { type: "https://errors.example.com/email-taken", title: "Email already taken" },
    PASSWORD_LOCKED: { type: "https://errors.example.com/password-locked" },
  };

  it("gives a mapped code its type and title", () => {
    const body = `{"error":{"status":409,"message":"This email is already in use.","code":"EmailAlreadyExists"}}`;
    expect(normalize(409, JSON_TYPE, body, { codeTypes }).problem).toEqual({
      ...blank(409, "Email already taken"),
      type: "https://errors.example.com/email-taken",
      detail: "This email is already in use.",
      code: "EmailAlreadyExists",
    });
  });

  it("without a mapped title, the reason phrase; header codes map too", () => {
    expect(normalize(403, { "x-message-code": "PASSWORD_LOCKED" }, "Locked for 60 minutes.", { codeTypes }).problem).toEqual({
      ...blank(403, "Forbidden"),
      type: "https://errors.example.com/password-locked",
      detail: "Locked for 60 minutes.",
      code: "PASSWORD_LOCKED",
    });
  });

  it("the origin's own type URI wins over the map", () => {
    const body = JSON.stringify({ type: "https://origin.example/conflict", title: "Conflict", status: 409, code: "EmailAlreadyExists" });
    expect(normalize(409, { "content-type": "application/problem+json" }, body, { codeTypes }).problem.type).toBe("https://origin.example/conflict");
  });

  it("codes named after Object.prototype members map to nothing", () => {
    for (const code of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(normalize(400, JSON_TYPE, JSON.stringify({ message: "m", code }), { codeTypes }).problem).toEqual({
        ...blank(400, "Bad Request"),
        detail: "m",
        code,
      });
    }
  });
});

describe("hostile bodies", () => {
  it("__proto__ members neither pollute prototypes nor reach the client", () => {
    const body = `{"type":"https://e.example/x","title":"T","status":400,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"meta":{"__proto__":{"polluted":true},"ok":1}}`;
    const { problem } = normalize(400, { "content-type": "application/problem+json" }, body);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(problem)).toBe(Object.prototype);
    expect(Object.keys(problem)).not.toContain("__proto__");
    expect(Object.keys(problem)).not.toContain("constructor");
    expect(problem.meta).toEqual({ ok: 1 });
    expect(Object.getPrototypeOf(problem.meta)).toBe(Object.prototype);
  });

  it("origin members never override the gateway's members", () => {
    const body = `{"type":"https://e.example/x","title":"T","status":400,"request_id":"spoofed","instance":"/real"}`;
    const { problem } = normalize(400, { "content-type": "application/problem+json" }, body);
    expect(problem.request_id).toBe("req-7f3a");
    expect(problem.status).toBe(400);
  });

  it("deeply nested and oversized extension members are dropped", () => {
    const body = JSON.stringify({ statusCode: 400, message: "m", deep: { a: { b: { c: { d: { e: 1 } } } } }, wide: Array.from({ length: 51 }, (_, i) => i), fine: [1, 2] });
    expect(normalize(400, JSON_TYPE, body).problem).toEqual({ ...blank(400, "Bad Request"), detail: "m", fine: [1, 2] });
  });
});
