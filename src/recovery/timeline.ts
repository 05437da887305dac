import type { PrismaClient } from "../db/generated/node/client.ts";
import { insertRows } from "../db/insert-rows.ts";

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

type Tx = Pick<PrismaClient, "$executeRawUnsafe">;

const TIMELINE_COLUMNS = ["id", "disruptionId", "at", "type", "summary", "reason", "data"] as const;

/**
 * One line of the recovery log: what happened, and why. A plain INSERT (Prisma's `create` would
 * read the row back, and nobody needs it); a write that can join a batch.
 */
export function addTimeline(db: Tx, ...line: Parameters<typeof timelineRow>) {
  return insertRows(db, "TimelineEntry", TIMELINE_COLUMNS, [timelineRow(...line)])[0] as ReturnType<
    Tx["$executeRawUnsafe"]
  >;
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

/** Timeline rows inserted many at a time, as writes for a batch; a row whose id is taken already is left out. */
export function timelineWrites(db: Tx, rows: ReturnType<typeof timelineRow>[]) {
  return insertRows(db, "TimelineEntry", TIMELINE_COLUMNS, rows, { skipExisting: "id" });
}
