import type { Prisma, PrismaClient } from "../db/generated/node/client.ts";
import { type Detection, decideSupersede, type Severity } from "../detection/index.ts";
import { type SignalOutcome, subjectFields } from "./outcome.ts";
import { addTimeline } from "./timeline.ts";

/** Statuses in which a disruption is still being handled. */
export const OPEN_STATUSES = ["open", "awaiting_approval", "notified"];

type Db = Pick<PrismaClient, "disruption" | "timelineEntry">;
export type Writes = Prisma.PrismaPromise<unknown>[];

/** Where a detection came from, for the timeline. */
export interface DetectionSource {
  id: string;
  type: string;
  at: Date;
}

/**
 * Open, update or supersede the disruption for a detection's subject. Reads
 * the open disruption now and returns the writes, in order, without running
 * them: the signal transaction awaits them one by one; a release runs them in
 * one batch behind its guard (D1 has batches, not interactive transactions).
 * Records what it decided in `out`.
 */
export async function planDetection(
  db: Db,
  detection: Detection,
  facts: Record<string, unknown>,
  source: DetectionSource,
  out: SignalOutcome,
): Promise<Writes> {
  const open = await db.disruption.findFirst({
    where: { subjectKey: detection.subjectKey, status: { in: OPEN_STATUSES } },
    orderBy: { detectedAt: "desc" },
  });
  const openFacts = open ? (JSON.parse(open.facts) as { delayMinutes?: number }) : undefined;
  const decision = decideSupersede(
    open
      ? {
          kind: open.kind as Detection["kind"],
          severity: open.severity as Severity,
          delayMinutes: openFacts?.delayMinutes,
        }
      : null,
    detection,
  );
  const { at } = source;
  const allFacts = { ...facts, delayMinutes: detection.delayMinutes ?? null };
  if (decision.action === "ignore") {
    out.ignored.push({
      reason: "no_change",
      detail: decision.reason,
      customerId: detection.customerId,
      ...subjectFields(detection.subjectKey),
      ...(open ? { disruptionId: open.id } : {}),
    });
    return open
      ? [addTimeline(db, open.id, at, "signal", `Signal ${source.type} (${source.id})`, decision.reason)]
      : [];
  }
  if (decision.action === "update" && open) {
    out.updated.push(open.id);
    return [
      db.disruption.update({
        where: { id: open.id },
        data: { severity: detection.severity, reason: detection.reason, facts: JSON.stringify(allFacts) },
      }),
      addTimeline(
        db,
        open.id,
        at,
        "updated",
        `Updated by ${source.type} (${source.id})`,
        `${decision.reason} ${detection.reason}`,
      ),
    ];
  }
  const writes: Writes = [];
  const id = `dis_${crypto.randomUUID()}`;
  const supersedes = decision.action === "supersede" && open ? open : null;
  if (supersedes) {
    writes.push(
      db.disruption.update({ where: { id: supersedes.id }, data: { status: "superseded" } }),
      addTimeline(
        db,
        supersedes.id,
        at,
        "superseded",
        `Superseded by ${detection.kind.replace("_", " ")}`,
        decision.reason,
      ),
    );
    out.superseded.push(supersedes.id);
  }
  writes.push(
    db.disruption.create({
      data: {
        id,
        customerId: detection.customerId,
        kind: detection.kind,
        subjectKey: detection.subjectKey,
        severity: detection.severity,
        reason: detection.reason,
        facts: JSON.stringify(allFacts),
        signalAt: at,
      },
    }),
  );
  if (supersedes) writes.push(db.disruption.update({ where: { id: supersedes.id }, data: { supersededById: id } }));
  writes.push(
    addTimeline(db, id, at, "signal", `Signal ${source.type} received (${source.id})`),
    addTimeline(
      db,
      id,
      at,
      "detection",
      `Detected ${detection.kind.replace("_", " ")}, severity ${detection.severity}`,
      `${detection.reason}. ${decision.reason}`,
    ),
  );
  out.opened.push(id);
  return writes;
}

/** Runs planned writes one after the other (inside an interactive transaction). */
export async function runInOrder(writes: Writes): Promise<void> {
  for (const write of writes) await write;
}
