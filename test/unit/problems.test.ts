import { describe, expect, it } from "vitest";
import catalog from "../../docs/problem-types.md?raw";
import { GatewayError, PROBLEM_TYPES, gatewayProblem, problemResponse, type ProblemKind } from "../../src/problems";
import { readProblem } from "../helpers/problem-schema";

const kinds = Object.keys(PROBLEM_TYPES) as ProblemKind[];

describe("the closed set of problem types", () => {
  it("is documented row by row in docs/problem-types.md", () => {
    for (const kind of kinds) {
      expect(catalog, `docs/problem-types.md lacks a row for ${kind}`).toContain(`| \`${kind}\` | ${PROBLEM_TYPES[kind].status} |`);
    }
  });

  it("renders every type as a schema-valid problem with matching status", async () => {
    for (const kind of kinds) {
      const error = new GatewayError(kind, "Something specific happened.", { headers: { "retry-after": "3" }, extensions: { extra: 1 } });
      const res = problemResponse(gatewayProblem(error, { requestId: "req-1", instance: "/a/b" }), error.headers);
      const problem = await readProblem(res);
      expect(problem).toMatchObject({ title: PROBLEM_TYPES[kind].title, detail: "Something specific happened.", instance: "/a/b", request_id: "req-1", extra: 1 });
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("retry-after")).toBe("3");
      expect(res.headers.get("x-request-id")).toBe("req-1");
    }
  });

  it("lets extensions never override the standard members", () => {
    const error = new GatewayError("not-found", "x", { extensions: { status: 200, type: "evil", request_id: "forged" } });
    const problem = gatewayProblem(error, { requestId: "real", instance: "/" });
    expect(problem).toMatchObject({ status: 404, request_id: "real" });
    expect(problem.type).toBe("tag:portcullis.dev,2026:problems/not-found");
  });

  it("uses the IANA-registered type for quota-exceeded", () => {
    const problem = gatewayProblem(new GatewayError("quota-exceeded", "x"), { requestId: "r", instance: "/", problemBaseUrl: "https://docs.example.com/p/" });
    expect(problem.type).toBe("https://iana.org/assignments/http-problem-types#quota-exceeded");
  });
});
