import { isUniqueViolation } from "../http/database-errors.ts";
import type { Writes } from "./apply-detection.ts";
import { voucherCode } from "./codes.ts";
import { chooseGesture, type Gesture, type GestureKind } from "./gestures.ts";
import { insertFirstGrant, spentIn } from "./grant-writes.ts";
import { type LoadedDisruption, loadDisruption } from "./messages.ts";
import type { RecoveryServices } from "./services.ts";
import { addTimeline } from "./timeline.ts";

export interface GesturePlan {
  grantId: string | null;
  needsApproval: boolean;
  approvalTimeout: string;
  fallbackGestureId: string | null;
}

const DAY_MS = 86_400_000;
const period = (at: Date) => at.toISOString().slice(0, 7);

const asGesture = (g: {
  id: string;
  kind: string;
  name: string;
  description: string;
  howToUse: string | null;
  value: unknown;
  currency: string;
}): Gesture => ({
  ...g,
  kind: g.kind as GestureKind,
  value: Number(g.value),
});

export type ChosenGesture = GesturePlan & { disruptionKind: string };

/** Choose the gesture by policy (and say which kind of disruption it is, for the workflow), record the grant (pending approval when above the limit) and why. */
export async function planGesture(svc: RecoveryServices, disruptionId: string): Promise<ChosenGesture> {
  return (await planGestureLoading(svc, disruptionId)).plan;
}

/**
 * `planGesture`, handing back the disruption as it loaded it (customer, and grants as they are
 * after planning) so the apology in the same step is composed without loading it again.
 */
export async function planGestureLoading(
  svc: RecoveryServices,
  disruptionId: string,
): Promise<{ plan: ChosenGesture; disruption: LoadedDisruption }> {
  const { prisma, reference } = svc;
  const now = svc.now();
  // The reads are plain; the write re-checks what a concurrent recovery could change (grant, spend)
  // inside its own statement, and a refused write plans again from fresh reads.
  for (let attempt = 1; ; attempt++) {
    const disruption = await loadDisruption(svc, disruptionId);
    const plan = (chosen: ChosenGesture) => ({ plan: chosen, disruption });
    const existing = disruption.grants.reduce<(typeof disruption.grants)[number] | undefined>(
      (first, g) => (first && first.createdAt <= g.createdAt ? first : g),
      undefined,
    );
    if (existing) {
      const approval = await prisma.approval.findFirst({ where: { disruptionId } });
      return plan({
        grantId: existing.id,
        needsApproval: existing.status === "pending_approval",
        approvalTimeout: approval
          ? `${Math.max(1, Math.round((approval.expiresAt.getTime() - now.getTime()) / 1000))}s`
          : "1h",
        fallbackGestureId: null,
        disruptionKind: disruption.kind,
      });
    }
    const [catalog, policies, budget, capSetting, recentGrants, spent] = await Promise.all([
      reference.gestures(),
      reference.policies(),
      reference.budget(period(now)),
      reference.setting(GESTURE_CAP_SETTING),
      prisma.gestureGrant.count({
        where: {
          customerId: disruption.customerId,
          status: { in: ["granted", "pending_approval"] },
          createdAt: { gte: new Date(now.getTime() - 30 * DAY_MS) },
        },
      }),
      spentIn(prisma, period(now)),
    ]);
    const decision = chooseGesture(
      {
        disruptionKind: disruption.kind,
        severity: disruption.severity,
        tier: disruption.customer.tier,
        recentGrants,
        capPer30Days: gestureCap(capSetting, svc.settings.gestureCapPer30Days),
        budget: {
          limit: Number(budget?.limit ?? Number.POSITIVE_INFINITY),
          spent,
          currency: budget?.currency ?? "EUR",
        },
      },
      policies.map((p) => ({ ...p, approvalLimit: Number(p.approvalLimit) })),
      catalog.filter((g) => g.active).map(asGesture),
    );
    if (!decision.give) {
      await addTimeline(prisma, disruptionId, now, "gesture", "No gesture", decision.reason);
      return plan({
        grantId: null,
        needsApproval: false,
        approvalTimeout: "0s",
        fallbackGestureId: null,
        disruptionKind: disruption.kind,
      });
    }
    const g = decision.gesture;
    const grantId = await insertFirstGrant(
      prisma,
      {
        disruptionId,
        customerId: disruption.customerId,
        gesture: g,
        status: decision.needsApproval ? "pending_approval" : "granted",
        reason: decision.reason,
        createdAt: now,
        timeline: {
          at: now,
          type: "gesture",
          summary: decision.needsApproval ? `Proposed ${g.name} (needs approval)` : `Granted ${g.name}`,
          reason: decision.reason,
          data: { value: g.value, currency: g.currency, policyId: decision.policyId },
        },
      },
      budget ? { limit: Number(budget.limit), currency: budget.currency, period: period(now) } : null,
    );
    if (grantId) {
      disruption.grants = await prisma.gestureGrant.findMany({ where: { disruptionId } });
      return plan({
        grantId,
        needsApproval: decision.needsApproval,
        approvalTimeout: decision.approvalTimeout,
        fallbackGestureId: decision.fallback?.id ?? null,
        disruptionKind: disruption.kind,
      });
    }
    // Another grant came first, or the spend moved: the next pass sees it. The step retries if this persists.
    if (attempt >= 5) throw new Error(`could not record a grant for ${disruptionId}: refused ${attempt} times`);
  }
}

export interface ApprovalDecision {
  decision: "approve" | "deny";
  note?: string | null;
  by?: string | null;
}

/**
 * Open the approval a manager sees in the queue. One approval per grant: its id comes from the
 * grant's, so a repeated step finds it (or fails on the key) instead of opening a second.
 */
export async function requestApproval(
  svc: RecoveryServices,
  disruptionId: string,
  plan: GesturePlan,
  timeoutMs: number,
): Promise<string> {
  const { prisma } = svc;
  const now = svc.now();
  const grantId = plan.grantId ?? "";
  const id = `appr_${grantId.replace(/^grant_/, "") || crypto.randomUUID()}`;
  const open = await prisma.approval.findFirst({ where: { disruptionId, grantId }, select: { id: true } });
  if (open) return open.id;
  const expiresAt = new Date(now.getTime() + timeoutMs);
  try {
    await prisma.$transaction([
      prisma.approval.create({ data: { id, disruptionId, grantId, expiresAt } }),
      prisma.disruption.update({ where: { id: disruptionId }, data: { status: "awaiting_approval" } }),
      addTimeline(
        prisma,
        disruptionId,
        now,
        "approval",
        "Approval requested from a manager",
        `decision needed by ${expiresAt.toISOString()}`,
      ),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  return id;
}

/**
 * Apply the manager's decision, or the timeout: approve → the gesture stands; deny/timeout → the
 * lesser gesture. Reads, then one batch led by a guard (the grant still pending), so a repeat —
 * or a second settle racing this one — changes nothing and answers with what was settled.
 */
export async function settleGesture(
  svc: RecoveryServices,
  disruptionId: string,
  plan: GesturePlan,
  decided: ApprovalDecision | null,
): Promise<GesturePlan> {
  const { prisma } = svc;
  const now = svc.now();
  const grant = plan.grantId ? await prisma.gestureGrant.findUnique({ where: { id: plan.grantId } }) : null;
  if (grant?.status !== "pending_approval") return settledBefore(svc, disruptionId, plan, grant?.status);
  const approval = await prisma.approval.findFirst({ where: { disruptionId, grantId: grant.id } });
  // A manager who decided as the wait timed out still decided: the claimed row says so.
  const decision = decided ?? decisionOn(approval);
  const status = decision ? (decision.decision === "approve" ? "approved" : "denied") : "expired";
  const writes: Writes = [
    prisma.gestureGrant.update({
      where: { id: grant.id, status: "pending_approval" },
      data: { status: status === "approved" ? "granted" : status },
    }),
    // The apology went out while the manager decided: back to "notified" (or "open" if it has not).
    prisma.disruption.updateMany({
      where: { id: disruptionId, status: "awaiting_approval", firstMessageAt: { not: null } },
      data: { status: "notified" },
    }),
    prisma.disruption.updateMany({
      where: { id: disruptionId, status: "awaiting_approval", firstMessageAt: null },
      data: { status: "open" },
    }),
  ];
  if (approval?.status === "pending")
    writes.push(
      prisma.approval.update({
        where: { id: approval.id, status: "pending" },
        data: { status, decidedAt: now, decidedBy: decision?.by ?? null, note: decision?.note ?? null },
      }),
    );
  let grantId: string | null = grant.id;
  if (status === "approved") {
    // decideApproval (src/recovery/decide-approval.ts) already wrote "Approved by …" when it claimed the row.
    if (approval?.status !== "approved")
      writes.push(
        addTimeline(
          prisma,
          disruptionId,
          now,
          "approval",
          `Approved by ${decision?.by ?? "a manager"}`,
          decision?.note ?? undefined,
        ),
      );
  } else {
    const why =
      status === "denied"
        ? `Denied by ${decision?.by ?? "a manager"}${decision?.note ? `: ${decision.note}` : ""}`
        : "No decision in time";
    const fallback = (await svc.reference.gestures()).find((g) => g.id === plan.fallbackGestureId) ?? null;
    if (fallback) {
      const lesser = grantRow(
        grant,
        { ...fallback, value: Number(fallback.value) },
        `${why}; the policy's lesser gesture instead`,
      );
      grantId = lesser.id;
      writes.push(
        prisma.gestureGrant.create({ data: lesser }),
        addTimeline(
          prisma,
          disruptionId,
          now,
          "approval",
          why,
          `falling back to ${fallback.name} (${Number(fallback.value)} ${fallback.currency})`,
        ),
      );
    } else {
      grantId = null;
      writes.push(
        addTimeline(
          prisma,
          disruptionId,
          now,
          "approval",
          why,
          "no lesser gesture in the policy; apology without a gesture",
        ),
      );
    }
  }
  try {
    await prisma.$transaction(writes);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "P2025") throw error;
    return settleGesture(svc, disruptionId, plan, decided);
  }
  return settledPlan(plan, grantId);
}

function decisionOn(approval: { status: string; note: string | null; decidedBy: string | null } | null) {
  if (approval?.status !== "approved" && approval?.status !== "denied") return null;
  const decision: ApprovalDecision = {
    decision: approval.status === "approved" ? "approve" : "deny",
    note: approval.note,
    by: approval.decidedBy,
  };
  return decision;
}

/** A plan once settled: nothing left to approve, and the grant that stands (or none). */
const settledPlan = (plan: GesturePlan, grantId: string | null): GesturePlan => ({
  grantId,
  needsApproval: false,
  approvalTimeout: plan.approvalTimeout,
  fallbackGestureId: null,
});

/**
 * What an earlier settle of this plan decided (a repeated step, or a settle that lost a race):
 * the approved grant, the lesser gesture granted after it, or none.
 */
async function settledBefore(
  svc: RecoveryServices,
  disruptionId: string,
  plan: GesturePlan,
  status: string | undefined,
): Promise<GesturePlan> {
  if (!plan.grantId || status === "granted") return settledPlan(plan, plan.grantId);
  const lesser = await svc.prisma.gestureGrant.findFirst({
    where: { disruptionId, id: { not: plan.grantId }, status: "granted" },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  return {
    grantId: lesser?.id ?? null,
    needsApproval: false,
    approvalTimeout: plan.approvalTimeout,
    fallbackGestureId: null,
  };
}

/** A granted lesser gesture, with its cost and why; vouchers and credits get a unique code. */
function grantRow(
  owner: { disruptionId: string; customerId: string },
  g: { id: string; kind: string; description: string; value: number; currency: string },
  reason: string,
) {
  return {
    id: `grant_${crypto.randomUUID()}`,
    disruptionId: owner.disruptionId,
    customerId: owner.customerId,
    gestureId: g.id,
    kind: g.kind,
    description: g.description,
    value: g.value,
    currency: g.currency,
    code: g.kind === "voucher" || g.kind === "credit" ? voucherCode() : null,
    status: "granted",
    reason,
  };
}

/** The cap managers set on the policies page (Setting), else the built-in default. */
export const GESTURE_CAP_SETTING = "recovery.gestureCapPer30Days";

function gestureCap(stored: string | null, fallback: number): number {
  const value = stored === null ? Number.NaN : Number(stored);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
}
