import { afterEach, describe, expect, it, vi } from "vitest";
import { mockOrigin, send } from "../helpers/gateway";
import { readProblem } from "../helpers/problem-schema";

afterEach(() => {
  vi.restoreAllMocks();
});

// /admin/* needs an API key; everything else is proxied publicly.
const vars = {
  PORTCULLIS: {
    auth: { keys: { ["a".repeat(64)]: { consumer: "ops" } } },
    routes: [{ pattern: "/admin/*", auth: "api_key" }],
  },
};

describe("spellings of a protected path", () => {
  it.each(["//admin/x", "/admin%2Fx", "/public/..%2Fadmin/x", "/admin;x/x", "/%252e%252e/admin/x"])("%s is refused with 400 and never reaches the origin", async (path) => {
    const origin = mockOrigin(() => new Response("secret"));
    const res = await send(path, {}, vars);
    const problem = await readProblem(res);
    expect(res.status).toBe(400);
    expect(problem.detail).toMatch(/^The request path is ambiguous: it contains /);
    expect(origin.calls).toHaveLength(0);
  });

  it.each(["/%61dmin/x", "/ADMIN/x", "/Admin/x"])("%s is matched as /admin/x and needs credentials", async (path) => {
    const origin = mockOrigin(() => new Response("secret"));
    const res = await send(path, {}, vars);
    expect(res.status).toBe(401);
    expect(origin.calls).toHaveLength(0);
  });

  it("forwards an equivalent spelling byte for byte once it is allowed", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/files/%7Euser/a%20b", {}, vars);
    expect(res.status).toBe(200);
    expect(origin.calls[0]?.request.url).toBe("https://origin.test/files/%7Euser/a%20b");
  });

  it("can be switched off for origins that need encoded slashes", async () => {
    const origin = mockOrigin(() => new Response("ok"));
    const res = await send("/blobs/a%2Fb", {}, { PORTCULLIS: { reject_ambiguous_paths: false } });
    expect(res.status).toBe(200);
    expect(origin.calls[0]?.request.url).toBe("https://origin.test/blobs/a%2Fb");
  });

  it.each(["/%61dmin/x", "/ADMIN/x", "//admin/x", "/admin;jsessionid=1/x"])("still matches %s as /admin/x when switched off", async (path) => {
    const origin = mockOrigin(() => new Response("secret"));
    const res = await send(path, {}, { PORTCULLIS: { ...vars.PORTCULLIS, reject_ambiguous_paths: false } });
    expect(res.status).toBe(401);
    expect(origin.calls).toHaveLength(0);
  });

  it.each(["/ops/", "/OPS/", "/ops/.", "/ops/%2e"])("%s meets the exact route /ops and needs its credentials", async (path) => {
    const origin = mockOrigin(() => new Response("secret"));
    const res = await send(path, {}, { PORTCULLIS: { ...vars.PORTCULLIS, routes: [{ pattern: "/ops", auth: "api_key" }] } });
    expect(res.status).toBe(401);
    expect(origin.calls).toHaveLength(0);
  });
});
