/**
 * Reads of disruptions shared by the JSON API (src/recovery/api.ts) and the dashboard:
 * the list filters and the detail with everything a recovery's story needs.
 */
import type { Prisma, PrismaClient } from "../db/generated/node/client.ts";
import { afterPosition, type Position } from "../http/cursor.ts";

export interface DisruptionFilters {
  kind?: string;
  status?: string;
  customerId?: string;
  /** Matches the customer's id or name (contains). */
  customer?: string;
  from?: Date;
  to?: Date;
  /** true: the customer complained before we wrote (reactive); false: proactive. */
  complainedFirst?: boolean;
  /** Only those with an approval pending. */
  needsApproval?: boolean;
  /** Only those behind one of the overview's figures (OUTCOMES). */
  outcome?: Outcome;
  /** Only rows after this position in the list's order (the API's cursor). */
  after?: Position;
}

/**
 * The recoveries behind each of the overview's figures, as the metrics count them
 * (src/recovery/metrics-rollup-sql.ts): the trust figures leave superseded disruptions out and
 * date a disruption by its detection; `undelivered` dates by the message, `gesture_granted` by the grant.
 */
export const OUTCOMES = [
  "counted",
  "notified",
  "told_first",
  "not_told_first",
  "complained_first",
  "not_told_yet",
  "undelivered",
  "gesture_granted",
  "needed_approval",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes whose period is the time of a message or grant, not the disruption's detection. */
export const OUTCOME_DATED_BY: Partial<Record<Outcome, "message" | "grant">> = {
  undelivered: "message",
  gesture_granted: "grant",
};

const counted: Prisma.DisruptionWhereInput = { status: { not: "superseded" } };
const notified: Prisma.DisruptionWhereInput = { ...counted, firstMessageAt: { not: null } };

function outcomeWhere(outcome: Outcome, from?: Date, to?: Date): Prisma.DisruptionWhereInput {
  const within = { gte: from, lte: to };
  switch (outcome) {
    case "counted":
      return counted;
    case "notified":
      return notified;
    case "told_first":
      return { ...notified, complainedFirst: false };
    case "not_told_first":
      return { ...notified, complainedFirst: true };
    case "complained_first":
      return { ...counted, complainedFirst: true };
    case "not_told_yet":
      return { ...counted, firstMessageAt: null, complainedFirst: false };
    case "undelivered":
      // A message is created after its disruption is detected: `to` bounds the detection too (an index range).
      return {
        detectedAt: { lte: to },
        messages: {
          some: { createdAt: within, status: "sent", deliveryStatus: { in: ["bounced", "undelivered", "failed"] } },
        },
      };
    case "gesture_granted":
      return { detectedAt: { lte: to }, grants: { some: { createdAt: within, status: "granted" } } };
    case "needed_approval":
      // As gestureFollowUps counts them: a gesture that waited for a manager, dated by the detection.
      return { ...counted, approvals: { some: {} } };
  }
}

export function disruptionWhere(f: DisruptionFilters): Prisma.DisruptionWhereInput {
  const datedByDetection = !f.outcome || !OUTCOME_DATED_BY[f.outcome];
  const where: Prisma.DisruptionWhereInput = {
    kind: f.kind,
    status: f.status,
    customerId: f.customerId,
    ...(datedByDetection ? { detectedAt: { gte: f.from, lte: f.to } } : {}),
    ...(f.customer
      ? { OR: [{ customerId: { contains: f.customer } }, { customer: { name: { contains: f.customer } } }] }
      : {}),
    ...(f.complainedFirst === undefined ? {} : { complainedFirst: f.complainedFirst }),
    ...(f.needsApproval ? { approvals: { some: { status: "pending" } } } : {}),
  };
  const outcome = f.outcome ? [outcomeWhere(f.outcome, f.from, f.to)] : [];
  const parts = [where, ...outcome, ...(f.after ? [afterPosition("detectedAt", f.after)] : [])];
  return parts.length === 1 ? where : { AND: parts };
}

/** Newest first. */
export const DISRUPTION_ORDER: Prisma.DisruptionOrderByWithRelationInput[] = [{ detectedAt: "desc" }, { id: "desc" }];

/** Customers a search names, when few enough to look up by id (a broad search falls back to the join). */
const CUSTOMER_SEARCH_LIMIT = 80;

/**
 * A customer search ("id or name contains") as customer ids, looked up once in the Customer table:
 * the list then reads their disruptions by the (customerId, detectedAt) index instead of testing
 * every disruption's customer. undefined when too many customers match (the join is then faster).
 */
async function searchedCustomers(prisma: PrismaClient, text: string): Promise<string[] | undefined> {
  const found = await prisma.customer.findMany({
    where: { OR: [{ id: { contains: text } }, { name: { contains: text } }] },
    select: { id: true },
    take: CUSTOMER_SEARCH_LIMIT + 1,
  });
  return found.length > CUSTOMER_SEARCH_LIMIT ? undefined : found.map((c) => c.id);
}

/** A page of the list: `page.where` is the keyset edge, `direction` "desc" is newest first. */
export async function listDisruptions(
  prisma: PrismaClient,
  filters: DisruptionFilters,
  page: { where?: Prisma.DisruptionWhereInput; direction?: "asc" | "desc"; take: number },
) {
  const direction = page.direction ?? "desc";
  const ids = filters.customer ? await searchedCustomers(prisma, filters.customer) : undefined;
  const where = ids
    ? { AND: [disruptionWhere({ ...filters, customer: undefined }), { customerId: { in: ids } }] }
    : disruptionWhere(filters);
  return prisma.disruption.findMany({
    where: page.where ? { AND: [where, page.where] } : where,
    orderBy: [{ detectedAt: direction }, { id: direction }],
    take: page.take,
    include: { customer: { select: { id: true, name: true, tier: true } } },
  });
}

/** A message's delivery reports, oldest first, as the API and the timeline show them. */
export const DELIVERY_HISTORY = {
  deliveryEvents: {
    orderBy: [{ at: "asc" }, { receivedAt: "asc" }],
    select: { status: true, at: true, provider: true, errorCode: true, detail: true },
  },
} satisfies Prisma.MessageInclude;

/** One disruption with its timeline, grants, approvals and messages, each in order; null when unknown. */
export function findDisruptionDetail(prisma: PrismaClient, id: string) {
  return prisma.disruption.findUnique({
    where: { id },
    include: {
      customer: true,
      timeline: { orderBy: { at: "asc" } },
      grants: { orderBy: { createdAt: "asc" } },
      approvals: { orderBy: { requestedAt: "asc" } },
      messages: { orderBy: { createdAt: "asc" }, include: DELIVERY_HISTORY },
    },
  });
}

export type DisruptionDetail = NonNullable<Awaited<ReturnType<typeof findDisruptionDetail>>>;
