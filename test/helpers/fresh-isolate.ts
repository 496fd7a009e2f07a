// Every test starts from a fresh isolate: no compiled configuration, no
// limiter caches, no lockouts left over from another test (src/isolate.ts).
import { beforeEach } from "vitest";
import { resetIsolate } from "../../src/isolate";

beforeEach(() => {
  resetIsolate();
});
