import { describe, expect, test } from "vitest";
import {
  findForbiddenKey,
  hasInvisibleOrBidi,
  hasLineBreak,
  humanText,
  looksLikeHtml,
} from "../../../src/events/schemas.ts";

describe("findForbiddenKey", () => {
  test("finds nothing in an ordinary body", () => {
    expect(findForbiddenKey({ a: [{ b: 1 }, "constructor"], prototypeName: "x" })).toBeNull();
    expect(findForbiddenKey("plain")).toBeNull();
    expect(findForbiddenKey(null)).toBeNull();
  });

  test("finds __proto__ parsed from JSON, with its path", () => {
    expect(findForbiddenKey(JSON.parse('{"a":[0,{"b":{"__proto__":{"x":1}}}]}'))).toEqual({
      key: "__proto__",
      path: ["a", 1, "b", "__proto__"],
    });
  });

  test("finds constructor and prototype keys at the top", () => {
    expect(findForbiddenKey({ constructor: {} })?.path).toEqual(["constructor"]);
    expect(findForbiddenKey({ ok: 1, prototype: 2 })?.path).toEqual(["prototype"]);
  });

  test("reports the first in document order", () => {
    expect(findForbiddenKey(JSON.parse('{"a":{"constructor":1},"b":{"__proto__":1}}'))?.path).toEqual([
      "a",
      "constructor",
    ]);
  });

  test("survives very deep nesting and cycles", () => {
    let deep: unknown = JSON.parse('{"prototype":1}');
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const found = findForbiddenKey(deep);
    expect(found?.key).toBe("prototype");
    expect(found?.path).toHaveLength(100_001);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(findForbiddenKey(cyclic)).toBeNull();
  });
});

describe("text predicates", () => {
  test("line breaks include the Unicode line and paragraph separators", () => {
    for (const s of ["a\nb", "a\rb", "a\u2028b", "a\u2029b"]) expect(hasLineBreak(s)).toBe(true);
    expect(hasLineBreak("a b")).toBe(false);
  });

  test("each listed invisible or bidi character is caught", () => {
    const chars = [0x200b, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069, 0xfeff, 0x061c, 0x2060];
    for (const c of chars) expect(hasInvisibleOrBidi(`x${String.fromCharCode(c)}y`)).toBe(true);
    expect(hasInvisibleOrBidi("café naïve — “quoted”")).toBe(false);
  });

  test("HTML tag openings are caught, lone angle brackets are not", () => {
    for (const s of ["<p>", "</p>", "<!doctype", "<?xml", "<SCRIPT", "< script"]) expect(looksLikeHtml(s)).toBe(true);
    for (const s of ["a < b", "<3", "x <= 5", "->"]) expect(looksLikeHtml(s)).toBe(false);
  });
});

describe("humanText", () => {
  test("one message per problem: an empty string is only 'empty'", () => {
    const r = humanText(10).safeParse("");
    expect(r.error?.issues.map((i) => i.message)).toEqual(["must not be empty"]);
  });

  test("an oversized text is only 'too long'", () => {
    const r = humanText(10).safeParse("<b>".repeat(10));
    expect(r.error?.issues.map((i) => i.message)).toEqual(["must be at most 10 characters"]);
  });
});
