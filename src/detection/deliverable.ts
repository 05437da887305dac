import type { DeliverableQaFailedData, IssueSeverity } from "../events/schemas.ts";
import { type Detection, type NoDisruption, type Severity, subjectKey } from "./types.ts";

/**
 * `deliverable.qa_failed` → a deliverable error when QA found at least one
 * issue in something already delivered. Severity is the worst issue's:
 * minor → low, major → high, critical → critical (an error a client already
 * holds is never "medium" once it is material).
 */

export const ISSUE_TO_SEVERITY: Readonly<Record<IssueSeverity, Severity>> = {
  minor: "low",
  major: "high",
  critical: "critical",
};

export type DeliverableDetection = Detection & { kind: "deliverable_error" };

type QaData = Pick<DeliverableQaFailedData, "deliverableId" | "customerId" | "title"> & {
  issues: readonly Pick<DeliverableQaFailedData["issues"][number], "severity">[];
};

export function detectDeliverableErrors(data: QaData): DeliverableDetection | NoDisruption {
  const key = subjectKey.deliverable(data.deliverableId);
  const worstIssue = worstIssueSeverity(data.issues.map((i) => i.severity));
  if (worstIssue === undefined) {
    return { disruption: false, subjectKey: key, reason: `QA reported no issues in "${data.title}".` };
  }
  const severity = ISSUE_TO_SEVERITY[worstIssue];
  const count = data.issues.length;
  return {
    disruption: true,
    kind: "deliverable_error",
    subjectKey: key,
    customerId: data.customerId,
    severity,
    reason: `QA found ${count} issue${count === 1 ? "" : "s"} in "${data.title}" after delivery (worst: ${worstIssue}) → ${severity}`,
  };
}

const ISSUE_ORDER: readonly IssueSeverity[] = ["minor", "major", "critical"];

function worstIssueSeverity(list: readonly IssueSeverity[]): IssueSeverity | undefined {
  return list.reduce<IssueSeverity | undefined>(
    (worst, s) => (worst === undefined || ISSUE_ORDER.indexOf(s) > ISSUE_ORDER.indexOf(worst) ? s : worst),
    undefined,
  );
}
