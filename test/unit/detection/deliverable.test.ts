import { describe, expect, test } from "vitest";
import { detectDeliverableErrors } from "../../../src/detection/index.ts";
import type { IssueSeverity } from "../../../src/events/schemas.ts";

const qa = (...severities: IssueSeverity[]) => ({
  deliverableId: "dlv-42",
  customerId: "cus-firm",
  title: "Q4 market report",
  issues: severities.map((severity, i) => ({ summary: `issue ${i}`, severity })),
});

describe("deliverable errors", () => {
  test.each([
    [["minor"], "low"],
    [["major"], "high"],
    [["critical"], "critical"],
    [["minor", "major", "minor"], "high"],
    [["minor", "critical", "major"], "critical"],
  ] as [IssueSeverity[], string][])("issues %j → %s", (severities, expected) => {
    expect(detectDeliverableErrors(qa(...severities))).toMatchObject({
      disruption: true,
      kind: "deliverable_error",
      subjectKey: "deliverable:dlv-42",
      customerId: "cus-firm",
      severity: expected,
    });
  });

  test("the reason counts the issues and names the worst", () => {
    expect(detectDeliverableErrors(qa("minor", "major", "minor")).reason).toBe(
      'QA found 3 issues in "Q4 market report" after delivery (worst: major) → high',
    );
    expect(detectDeliverableErrors(qa("minor")).reason).toBe(
      'QA found 1 issue in "Q4 market report" after delivery (worst: minor) → low',
    );
  });

  test("no issues, no disruption", () => {
    expect(detectDeliverableErrors(qa())).toMatchObject({ disruption: false, subjectKey: "deliverable:dlv-42" });
  });
});
