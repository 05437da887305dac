import type { Prisma, PrismaClient } from "../db/generated/node/client.ts";
import { insertRows } from "../db/insert-rows.ts";
import { sqlTime } from "../db/sql-time.ts";
import type { Logger } from "../engine/types.ts";
import { ATTENTION_REASONS, type IgnoredPart, type SignalOutcome } from "./outcome.ts";

/**
 * Parts of events makegood did not act on: one log line each, and a
 * SignalIssue row for those a person should look at (the dashboard's
 * Attention page). An unknown customer's booking, order or deliverable is a
 * *hold*: when the customer's record arrives before `heldUntil`, a
 * `makegood/customer.arrived` event releases it (functions/release-held-signals.ts).
 */

export const CUSTOMER_ARRIVED = "makegood/customer.arrived";

/** The subject of a part, as a key (`booking:QX7PLM`), when it has one. */
export function partSubjectKey(part: IgnoredPart): string | undefined {
  if (part.orderId) return `order:${part.orderId}`;
  if (part.bookingRef) return `booking:${part.bookingRef}`;
  if (part.deliverableId) return `deliverable:${part.deliverableId}`;
  return undefined;
}

/** The same part of the same event is one row, however often it is decided. */
export const issueId = (eventId: string, part: IgnoredPart) => `${eventId}|${partSubjectKey(part) ?? part.reason}`;

export function attentionRows(
  signal: { id: string; type: string },
  outcome: SignalOutcome,
  at: Date,
): Prisma.SignalIssueCreateManyInput[] {
  return outcome.ignored
    .filter((part) => ATTENTION_REASONS.has(part.reason))
    .map((part) => ({
      id: issueId(signal.id, part),
      eventId: signal.id,
      eventType: signal.type,
      reason: part.reason,
      detail: part.detail,
      customerId: part.customerId ?? null,
      subjectKey: partSubjectKey(part) ?? null,
      createdAt: at,
      heldUntil: part.heldUntil ? new Date(part.heldUntil) : null,
    }));
}

const ISSUE_COLUMNS = [
  "id",
  "eventId",
  "eventType",
  "reason",
  "detail",
  "customerId",
  "subjectKey",
  "createdAt",
  "heldUntil",
] as const;

/** The writes that record these rows, many at a time (`attentionRows` fills every column). */
export function issueWrites(
  db: Pick<PrismaClient, "$executeRawUnsafe">,
  rows: Prisma.SignalIssueCreateManyInput[],
): Prisma.PrismaPromise<unknown>[] {
  // A row's id is its event and part: one written by an earlier try stopped midway (D1) is kept.
  return insertRows(db, "SignalIssue", ISSUE_COLUMNS, rows, { skipExisting: "id" });
}

export function logIgnored(logger: Logger, signal: { id: string; type: string }, parts: IgnoredPart[]): void {
  for (const part of parts) {
    const line = ATTENTION_REASONS.has(part.reason) ? logger.warn : logger.info;
    line("event part not acted on", { eventId: signal.id, eventType: signal.type, ...part });
  }
}

/** Parameters per query stay under D1's limit of 100. */
const LOOKUP_CHUNK = 90;

/**
 * A later event about the same subject is newer news than a hold from an
 * earlier one: releasing that hold afterwards would act on stale facts (a delay
 * since shortened, a parcel since delivered). Such holds close as superseded;
 * if the later event's customer is unknown too, it makes its own hold.
 * Returns the writes that close them.
 */
export function supersedeHolds(
  db: Pick<PrismaClient, "$executeRawUnsafe">,
  eventId: string,
  subjectKeys: readonly string[],
  at: Date,
): Prisma.PrismaPromise<unknown>[] {
  const outcome = JSON.stringify({ supersededBy: eventId });
  const writes = [];
  for (let i = 0; i < subjectKeys.length; i += LOOKUP_CHUNK) {
    const keys = subjectKeys.slice(i, i + LOOKUP_CHUNK);
    // Raw SQL, like the rest of the detection batch: Prisma compiles a batch that mixes in model
    // queries anew every time.
    writes.push(
      db.$executeRawUnsafe(
        `UPDATE "SignalIssue" SET "releasedAt" = ?, "releaseOutcome" = ?
         WHERE "subjectKey" IN (${keys.map(() => "?").join(", ")}) AND "releasedAt" IS NULL
           AND "reason" = 'unknown_customer' AND "eventId" <> ?`,
        sqlTime(at),
        outcome,
        ...keys,
        eventId,
      ),
    );
  }
  return writes;
}

/** The event whose news superseded a hold, if that is how it closed. */
export function supersededBy(releaseOutcome: string | null): string | undefined {
  if (!releaseOutcome) return undefined;
  const parsed = JSON.parse(releaseOutcome) as { supersededBy?: unknown };
  return typeof parsed.supersededBy === "string" ? parsed.supersededBy : undefined;
}

/** Holds of these customers still waiting at `at`, newest first. */
export async function pendingHolds(
  prisma: Pick<PrismaClient, "signalIssue">,
  customerIds: readonly string[],
  at: Date,
) {
  const found: { id: string; customerId: string | null; createdAt: Date }[] = [];
  const ids = [...new Set(customerIds)];
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    found.push(
      ...(await prisma.signalIssue.findMany({
        where: {
          customerId: { in: ids.slice(i, i + LOOKUP_CHUNK) },
          releasedAt: null,
          reason: "unknown_customer",
          heldUntil: { gte: at },
        },
        select: { id: true, customerId: true, createdAt: true },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      })),
    );
  }
  return found;
}

export interface ArrivalEvent {
  id: string;
  name: typeof CUSTOMER_ARRIVED;
  data: { customerId: string; arrivedAt: string };
}

/**
 * One `makegood/customer.arrived` per customer with pending holds. Its id names
 * the newest hold, so a second PUT of the same customer is dropped by the
 * engine's dedupe, while a hold made later gets its own event.
 */
export async function arrivalEvents(
  prisma: Pick<PrismaClient, "signalIssue">,
  customerIds: readonly string[],
  at: Date,
): Promise<ArrivalEvent[]> {
  const newest = new Map<string, string>();
  for (const hold of await pendingHolds(prisma, customerIds, at)) {
    if (hold.customerId && !newest.has(hold.customerId)) newest.set(hold.customerId, hold.id);
  }
  return [...newest].map(([customerId, holdId]) => ({
    id: `arrived:${customerId}:${holdId}`,
    name: CUSTOMER_ARRIVED,
    data: { customerId, arrivedAt: at.toISOString() },
  }));
}
