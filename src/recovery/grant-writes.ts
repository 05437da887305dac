import type { PrismaClient } from "../db/generated/node/client.ts";
import { voucherCode } from "./codes.ts";
import type { TimelineType } from "./timeline.ts";

/** What a new grant is: the gesture given, why, and the timeline line that says so. */
export interface NewGrant {
  disruptionId: string;
  customerId: string;
  gesture: { id: string; kind: string; description: string; value: number; currency: string };
  status: "granted" | "pending_approval";
  reason: string;
  /** The recovery's clock: the month the grant is spent in. */
  createdAt: Date;
  timeline: { at: Date; type: TimelineType; summary: string; reason: string; data?: unknown };
}

/** A grant counts against the budget only when granted in the budget's currency (as `chooseGesture` decides). */
export interface BudgetGuard {
  limit: number;
  currency: string;
  /** The budget's month, `YYYY-MM`: its spend is that month's row of `BudgetSpend`. */
  period: string;
}

/** A month's spend so far, in whole units, from the row the GestureGrant triggers keep (migration 0017). */
export async function spentIn(prisma: Pick<PrismaClient, "budgetSpend">, period: string): Promise<number> {
  const row = await prisma.budgetSpend.findUnique({ where: { period } });
  return (row?.spentCents ?? 0) / 100;
}

/**
 * The first grant of a disruption and its timeline line, in one batch transaction of two
 * conditional statements (no interactive transaction: D1 has none). The grant is written only if
 * the disruption has no grant yet, and — when it is spent now — only if the month's spend plus its
 * value stays within the budget (whole cents; the spend is one row the triggers keep, and the
 * INSERT's own trigger adds to it in the same statement). Both checks run inside the INSERT, so two recoveries racing
 * cannot grant twice nor overspend. Returns the grant's id, or null when a check refused it.
 */
export async function insertFirstGrant(
  prisma: PrismaClient,
  grant: NewGrant,
  budget: BudgetGuard | null,
): Promise<string | null> {
  const id = `grant_${crypto.randomUUID()}`;
  const g = grant.gesture;
  const code = g.kind === "voucher" || g.kind === "credit" ? voucherCode() : null;
  const guarded = budget !== null && grant.status === "granted" && g.currency === budget.currency ? 1 : 0;
  const t = grant.timeline;
  const [inserted] = await prisma.$transaction([
    prisma.$executeRaw`
      INSERT INTO "GestureGrant"
        ("id", "disruptionId", "customerId", "gestureId", "kind", "description", "value", "currency", "code",
         "status", "reason", "createdAt")
      SELECT ${id}, ${grant.disruptionId}, ${grant.customerId}, ${g.id}, ${g.kind}, ${g.description}, ${g.value},
        ${g.currency}, ${code}, ${grant.status}, ${grant.reason}, ${grant.createdAt}
      WHERE NOT EXISTS (SELECT 1 FROM "GestureGrant" WHERE "disruptionId" = ${grant.disruptionId})
        AND (${guarded} = 0 OR
          (SELECT COALESCE(SUM("spentCents"), 0) FROM "BudgetSpend" WHERE "period" = ${budget?.period ?? ""})
            + ${Math.round(g.value * 100)} <= ${Math.round((budget?.limit ?? 0) * 100)})`,
    prisma.$executeRaw`
      INSERT INTO "TimelineEntry" ("id", "disruptionId", "at", "type", "summary", "reason", "data")
      SELECT ${`tl_${crypto.randomUUID()}`}, ${grant.disruptionId}, ${t.at}, ${t.type}, ${t.summary}, ${t.reason},
        ${t.data === undefined ? null : JSON.stringify(t.data)}
      WHERE EXISTS (SELECT 1 FROM "GestureGrant" WHERE "id" = ${id})`,
  ]);
  return inserted === 1 ? id : null;
}
