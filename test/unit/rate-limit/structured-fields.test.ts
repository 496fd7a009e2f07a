// The RFC 9651 List parser used to read an origin's fields.
import { describe, expect, it } from "vitest";
import { parseList } from "../../../src/rate-limit/structured-fields";

describe("parseList", () => {
  it("reads items, parameters and their exact text", () => {
    const members = parseList('"burst";r=3;t=1,  tok;a;b=?0 , (1 2);x=-4.5');
    expect(members?.map((m) => m.raw)).toEqual(['"burst";r=3;t=1', "tok;a;b=?0", "(1 2);x=-4.5"]);
    expect(members?.[0]?.item).toEqual({ type: "string", value: "burst" });
    expect(members?.[0]?.params.get("r")).toEqual({ type: "integer", value: 3 });
    expect(members?.[1]?.params.get("a")).toEqual({ type: "boolean", value: true });
    expect(members?.[2]?.item).toBeUndefined();
    expect(members?.[2]?.params.get("x")).toEqual({ type: "decimal", value: -4.5 });
  });

  it("reads every bare item type", () => {
    const members = parseList('"a\\"b";pk=:cHJldGVuZA==:;d=@1659578233;s=%"f%c3%bc"');
    const params = members?.[0]?.params;
    expect(members?.[0]?.item).toEqual({ type: "string", value: 'a"b' });
    expect(params?.get("pk")).toEqual({ type: "bytes", value: "cHJldGVuZA==" });
    expect(params?.get("d")).toEqual({ type: "date", value: 1659578233 });
    expect(params?.get("s")).toEqual({ type: "display", value: "fü" });
  });

  it("rejects what RFC 9651 rejects", () => {
    for (const bad of ['"a",', '"a";R=1', '"a";r=1234567890123456', '"\\x"', "a b", '"a";r=1.2345', ":a*:"]) {
      expect(parseList(bad), bad).toBeUndefined();
    }
  });

  it("accepts an empty field as an empty list", () => {
    expect(parseList("")).toEqual([]);
  });
});
