import type { PrismaClient } from "../db/generated/node/client.ts";

export type TimelineType =
  | "signal"
  | "detection"
  | "superseded"
  | "updated"
  | "gesture"
  | "approval"
  | "message"
  | "delivery"
  | "complaint"
  | "consent"
  | "resolved"
  | "follow_up";

type Tx = Pick<PrismaClient, "timelineEntry">;

/** One line of the recovery log: what happened, and why. */
export function addTimeline(db: Tx, ...line: Parameters<typeof timelineRow>) {
  return db.timelineEntry.create({ data: timelineRow(...line) });
}

/** The row `addTimeline` writes, for batched inserts. */
export function timelineRow(
  disruptionId: string,
  at: Date,
  type: TimelineType,
  summary: string,
  reason?: string,
  data?: unknown,
) {
  return {
    id: `tl_${crypto.randomUUID()}`,
    disruptionId,
    at,
    type,
    summary,
    reason: reason ?? null,
    data: data === undefined ? null : JSON.stringify(data),
  };
}
