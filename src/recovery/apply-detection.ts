import type { Disruption, Prisma, PrismaClient } from "../db/generated/node/client.ts";
import { insertRows } from "../db/insert-rows.ts";
import { type Detection, decideSupersede, type Severity } from "../detection/index.ts";
import { sha256Hex } from "../hash.ts";
import { type SignalOutcome, subjectFields } from "./outcome.ts";
import { timelineRow, timelineWrites } from "./timeline.ts";

/** Statuses in which a disruption is still being handled. */
export const OPEN_STATUSES = ["open", "awaiting_approval", "notified"];

type Db = Pick<PrismaClient, "disruption" | "timelineEntry" | "$executeRawUnsafe">;
export type Writes = Prisma.PrismaPromise<unknown>[];

/** Where a detection came from, for the timeline. */
export interface DetectionSource {
  id: string;
  type: string;
  at: Date;
}

type OpenDisruption = Pick<Disruption, "id" | "kind" | "severity" | "facts">;
type DisruptionRow = Pick<
  Disruption,
  "id" | "customerId" | "kind" | "subjectKey" | "severity" | "reason" | "facts" | "signalAt"
>;
type TimelineRow = ReturnType<typeof timelineRow>;

/** What one detection writes: updates before the new rows, and the rows themselves. */
export interface DetectionPlan {
  before: Writes;
  disruptions: DisruptionRow[];
  timeline: TimelineRow[];
}

/** Parameters per statement stay under D1's limit of 100. */
const LOOKUP_CHUNK = 90;

/** The newest open disruption of each subject, read in a few queries (a flight has hundreds of bookings). */
export async function openDisruptions(db: Db, subjectKeys: readonly string[]): Promise<Map<string, OpenDisruption>> {
  const open = new Map<string, OpenDisruption>();
  for (let i = 0; i < subjectKeys.length; i += LOOKUP_CHUNK) {
    const rows = await db.disruption.findMany({
      where: { subjectKey: { in: subjectKeys.slice(i, i + LOOKUP_CHUNK) }, status: { in: OPEN_STATUSES } },
      orderBy: { detectedAt: "desc" },
      select: { id: true, kind: true, severity: true, facts: true, subjectKey: true },
    });
    for (const { subjectKey, ...row } of rows) if (!open.has(subjectKey)) open.set(subjectKey, row);
  }
  return open;
}

/**
 * What earlier tries of this signal superseded, by the id of the disruption that replaced it
 * (`disruptionIdFor` this signal and each subject): nothing, unless a try's batch stopped midway.
 */
export async function supersededEarlier(
  db: Db,
  source: Pick<DetectionSource, "id">,
  subjectKeys: readonly string[],
): Promise<Map<string, OpenDisruption>> {
  const ids = subjectKeys.map((key) => disruptionIdFor(source, key));
  const found = new Map<string, OpenDisruption>();
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const rows = await db.disruption.findMany({
      where: { supersededById: { in: ids.slice(i, i + LOOKUP_CHUNK) } },
      select: { id: true, kind: true, severity: true, facts: true, subjectKey: true },
    });
    for (const { subjectKey, ...row } of rows) found.set(subjectKey, row);
  }
  return found;
}

/**
 * Open, update or supersede the disruption for a detection's subject, given its newest open
 * disruption (if any). Plans the writes without running them (`planWrites` orders them); the
 * caller runs them in one batch behind its guard (D1 has batches, not interactive transactions).
 * The writes hold only if what was read still stands: an update or supersede needs the disruption
 * still open (else Prisma's P2025), and a new one needs its subject to have no other open
 * disruption (a partial unique index, else P2002; P2010 from the raw INSERT). Either error rolls the batch back, and the
 * caller decides again on fresh reads. Records what it decided in `out`.
 */
export function planDetection(
  db: Db,
  detection: Detection,
  facts: Record<string, unknown>,
  source: DetectionSource,
  out: SignalOutcome,
  open: OpenDisruption | undefined,
  supersededEarlier?: OpenDisruption,
): DetectionPlan {
  const plan: DetectionPlan = { before: [], disruptions: [], timeline: [] };
  const line = (row: TimelineRow): void => {
    plan.timeline.push(signalLine(source, row));
  };
  const id = disruptionIdFor(source, detection.subjectKey);
  const supersede = (old: OpenDisruption, why: string) => {
    line(timelineRow(old.id, source.at, "superseded", `Superseded by ${detection.kind.replace("_", " ")}`, why));
    out.superseded.push(old.id);
  };
  if (open?.id === id) {
    // This very signal opened it on an earlier try whose batch stopped midway (on D1 a batch is not
    // atomic): it is still this signal's to report as opened, so its recovery starts, and so is
    // what it superseded then, so that recovery stops.
    out.opened.push(id);
    for (const row of openingLines(id, detection, source, "opened by an earlier try of this signal")) line(row);
    if (supersededEarlier) supersede(supersededEarlier, "superseded by an earlier try of this signal");
    return plan;
  }
  // The disruption an earlier try superseded is decided against again, as it was then.
  const before = open ?? supersededEarlier;
  const openFacts = before ? (JSON.parse(before.facts) as { delayMinutes?: number }) : undefined;
  const decision = decideSupersede(
    before
      ? {
          kind: before.kind as Detection["kind"],
          severity: before.severity as Severity,
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
    if (open) line(timelineRow(open.id, at, "signal", `Signal ${source.type} (${source.id})`, decision.reason));
    return plan;
  }
  if (decision.action === "update" && open) {
    out.updated.push(open.id);
    plan.before.push(
      db.disruption.update({
        where: { id: open.id, status: { in: OPEN_STATUSES } },
        data: { severity: detection.severity, reason: detection.reason, facts: JSON.stringify(allFacts) },
      }),
    );
    line(
      timelineRow(
        open.id,
        at,
        "updated",
        `Updated by ${source.type} (${source.id})`,
        `${decision.reason} ${detection.reason}`,
      ),
    );
    return plan;
  }
  if (decision.action === "supersede" && before) {
    // The pointer to the new disruption (its id is known before it exists) goes with the status, in
    // one statement: a try that stops after it still says what replaced the old one.
    if (open)
      plan.before.push(
        db.disruption.update({
          where: { id: open.id, status: { in: OPEN_STATUSES } },
          data: { status: "superseded", supersededById: id },
        }),
      );
    supersede(before, decision.reason);
  }
  plan.disruptions.push({
    id,
    customerId: detection.customerId,
    kind: detection.kind,
    subjectKey: detection.subjectKey,
    severity: detection.severity,
    reason: detection.reason,
    facts: JSON.stringify(allFacts),
    signalAt: at,
  });
  for (const row of openingLines(id, detection, source, decision.reason)) line(row);
  out.opened.push(id);
  return plan;
}

/**
 * A line a signal writes on a disruption's timeline (one of each type per disruption), its id
 * following from the signal, the disruption and the type: a try that repeats after a batch
 * stopped inside the timeline writes only the lines still missing (`timelineWrites` skips the rest).
 */
export function signalLine(source: Pick<DetectionSource, "id">, row: TimelineRow): TimelineRow {
  return { ...row, id: `tl_${sha256Hex(`${source.id}\n${row.disruptionId}\n${row.type}`).slice(0, 32)}` };
}

function openingLines(id: string, detection: Detection, source: DetectionSource, why: string) {
  return [
    timelineRow(id, source.at, "signal", `Signal ${source.type} received (${source.id})`),
    timelineRow(
      id,
      source.at,
      "detection",
      `Detected ${detection.kind.replace("_", " ")}, severity ${detection.severity}`,
      `${detection.reason}. ${why}`,
    ),
  ];
}

/**
 * A disruption's id follows from the signal that opens it and its subject, so a try that repeats
 * after a batch stopped midway recognises what it opened itself.
 */
export function disruptionIdFor(source: Pick<DetectionSource, "id">, subjectKey: string): string {
  const hex = sha256Hex(`${source.id}\n${subjectKey}`);
  return `dis_${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The plans' writes in a safe order, new rows inserted many at a time: updates first, then
 * disruptions, then their timeline (which references them). 300 bookings take about 80
 * statements instead of 1,200.
 */
export function planWrites(db: Db, plans: readonly DetectionPlan[]): Writes {
  // The schema's defaults, as Prisma would fill them (raw SQL does not).
  const now = new Date();
  const disruptions = plans.flatMap((p) =>
    p.disruptions.map((d) => ({ ...d, status: "open", detectedAt: now, complainedFirst: false, updatedAt: now })),
  );
  return [
    ...plans.flatMap((p) => p.before),
    ...insertRows(db, "Disruption", DISRUPTION_COLUMNS, disruptions),
    ...timelineWrites(
      db,
      plans.flatMap((p) => p.timeline),
    ),
  ];
}

const DISRUPTION_COLUMNS = [
  "id",
  "customerId",
  "kind",
  "subjectKey",
  "severity",
  "reason",
  "facts",
  "signalAt",
  "status",
  "detectedAt",
  "complainedFirst",
  "updatedAt",
] as const;
