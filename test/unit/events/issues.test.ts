import { describe, expect, test } from "vitest";
import { z } from "zod";
import { formatIssues, formatPath } from "../../../src/events/schemas.ts";

describe("formatPath", () => {
  test("dots for names, brackets for indexes, quotes for odd keys", () => {
    expect(formatPath(["events", 3, "data", "newEta"])).toBe("events[3].data.newEta");
    expect(formatPath(["data", "a b"])).toBe('data["a b"]');
    expect(formatPath([0, "id"])).toBe("[0].id");
    expect(formatPath([])).toBe("(root)");
  });
});

describe("formatIssues", () => {
  const schema = z.strictObject({ name: z.string(), tags: z.array(z.number()) });

  test("a missing field says it is required", () => {
    const r = schema.safeParse({ tags: [] });
    expect(formatIssues(r.error ?? { issues: [] })).toEqual([{ field: "name", message: "is required" }]);
  });

  test("unknown keys get one entry each", () => {
    const r = schema.safeParse({ name: "a", tags: [], x: 1, y: 2 });
    expect(formatIssues(r.error ?? { issues: [] })).toEqual([
      { field: "x", message: "is not a known field" },
      { field: "y", message: "is not a known field" },
    ]);
  });

  test("a prefix is prepended, and the list is capped with a count of the rest", () => {
    const r = schema.safeParse({ name: "a", tags: ["a", "b", "c"] });
    const out = formatIssues(r.error ?? { issues: [] }, { prefix: ["events", 7], maxIssues: 2 });
    expect(out.map((i) => i.field)).toEqual(["events[7].tags[0]", "events[7].tags[1]", "(root)"]);
    expect(out[2]?.message).toBe("1 more problem not shown");
  });
});
