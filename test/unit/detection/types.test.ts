import { describe, expect, test } from "vitest";
import { describeMinutes, raiseSeverity, subjectKey, worstSeverity } from "../../../src/detection/index.ts";

describe("severity helpers", () => {
  test("raising moves up one level by default and stops at critical", () => {
    expect(raiseSeverity("low")).toBe("medium");
    expect(raiseSeverity("medium", 2)).toBe("critical");
    expect(raiseSeverity("critical")).toBe("critical");
  });

  test("the worst of a list", () => {
    expect(worstSeverity(["low", "high", "medium"])).toBe("high");
    expect(worstSeverity([])).toBeUndefined();
  });
});

describe("subject keys", () => {
  test("one prefix per kind of subject", () => {
    expect([subjectKey.order("1"), subjectKey.booking("2"), subjectKey.deliverable("3")]).toEqual([
      "order:1",
      "booking:2",
      "deliverable:3",
    ]);
  });
});

describe("describeMinutes", () => {
  test.each([
    [1, "1 minute"],
    [45, "45 minutes"],
    [60, "1 hour"],
    [150, "2 hours 30 minutes"],
    [1440, "1 day"],
    [1800, "1 day 6 hours"],
    [2 * 1440 + 59, "2 days"],
    [-90, "1 hour 30 minutes"],
  ])("%i → %s", (m, text) => {
    expect(describeMinutes(m)).toBe(text);
  });
});
