// Issue 11's promise as a property: whatever else a JSON body holds, a
// non-leaking string under a message-like member at most three levels down
// reaches the client as (part of) a detail that is not the generic one (or, when
// the body is problem details and the string its title, as the problem's title).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeOriginError } from "../../../src/normalize/normalize-origin-error";
import { genericDetail } from "../../../src/normalize/status-text";
import { looksLeaky, stripControls } from "../../../src/normalize/sanitize";
import { expectValidProblem } from "../../helpers/problem-schema";

/** Message-like member names, in the spellings origins use. */
const messageKey = fc.constantFrom(
  "message", "detail", "description", "msg", "error_description", "errorMessage", "error_message", "Message",
  "defaultMessage", "userMessage", "faultstring", "reason_message", "validationMessage", "details", "title",
);

// The noise around it: the names the reader looks at, with values of every kind.
const noiseKey = fc.oneof(
  fc.constantFrom(
    "error", "errors", "data", "details", "causes", "fault", "code", "status", "statusCode", "type", "title", "name",
    "field", "path", "loc", "source", "pointer", "extensions", "meta", "result", "items", "schemas", "kind", "apiVersion",
  ),
  fc.string({ maxLength: 6 }),
);
const noiseLeaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 0, max: 600 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("https://e.example/x", "INVALID_ARGUMENT", "Status", "fail", "urn:ietf:params:scim:api:messages:2.0:Error", "at x (/app/a.js:1:2)"),
);
const { noise } = fc.letrec<{ noise: unknown }>((tie) => ({
  noise: fc.oneof(
    { depthSize: "small" },
    noiseLeaf,
    fc.array(tie("noise"), { maxLength: 3 }),
    fc.dictionary(noiseKey, tie("noise"), { maxKeys: 4 }),
  ),
}));

// Text a reader would show: not blank, not leaking, not a restated status.
const message = fc
  .array(fc.constantFrom("The", "coupon", "card", "has", "expired", "is", "not", "valid", "for", "this", "order", "42", "été", "—", "(x)"), { minLength: 2, maxLength: 8 })
  .map((words) => words.join(" "))
  .filter((text) => !looksLeaky(stripControls(text)));

// Where the member sits: up to three containers down, each an object member or an array item.
const step = fc.oneof(noiseKey.map((key) => ({ key })), fc.nat({ max: 2 }).map((index) => ({ index })));

function place(holder: Record<string, unknown>, steps: readonly ({ key: string } | { index: number })[], filler: unknown): unknown {
  let value: unknown = holder;
  for (const s of [...steps].reverse()) {
    if ("key" in s) {
      const base = typeof filler === "object" && filler !== null && !Array.isArray(filler) ? { ...filler } : {};
      value = Object.assign(base, { [s.key]: value });
    } else {
      value = [...Array.from({ length: s.index }, () => filler), value];
    }
  }
  return value;
}

describe("a message-like member anywhere near the top", () => {
  it("yields a detail other than the generic one (4xx, and 5xx when exposed)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 599 }),
        messageKey,
        message,
        fc.array(step, { maxLength: 3 }),
        noise,
        fc.dictionary(noiseKey, noise, { maxKeys: 3 }),
        (status, key, text, steps, filler, siblings) => {
          const holder: Record<string, unknown> = { ...siblings };
          Object.defineProperty(holder, key, { value: text, enumerable: true, writable: true, configurable: true });
          const body = JSON.stringify(place(holder, steps, filler));
          const { problem } = normalizeOriginError(
            { status, headers: new Headers({ "content-type": "application/json" }), text: body, truncated: false },
            { exposeServerErrors: true, maxDetailLength: 500, codeTypes: {} },
            { requestId: "req-1", instance: "/v1/x" },
          );
          expectValidProblem(problem);
          expect(problem.status).toBe(status);
          // A top-level `title` beside a numeric `status` makes the body problem details
          // (docs/origin-errors.md): its title is the problem's title, kept, not a message.
          if (problem.detail === genericDetail(status) && problem.title === text) return;
          expect(problem.detail, body).not.toBe(genericDetail(status));
        },
      ),
      { numRuns: 500 },
    );
  });
});
