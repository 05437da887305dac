import { voucherCode } from "./codes.ts";
import { chooseGesture, type Gesture, type GestureKind } from "./gestures.ts";
import { insertFirstGrant } from "./grant-writes.ts";
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

/** Choose the gesture by policy (and say which kind of disruption it is, for the workflow), record the grant (pending approval when above the limit) and why. */
export async function planGesture(
  svc: RecoveryServices,
  disruptionId: string,
): Promise<GesturePlan & { disruptionKind: string }> {
  const { prisma, reference } = svc;
  const now = svc.now();
  // The reads are plain; the write re-checks what a concurrent recovery could change (grant, spend)
  // inside its own statement, and a refused write plans again from fresh reads.
  for (let attempt = 1; ; attempt++) {
    const existing = await prisma.gestureGrant.findFirst({ where: { disruptionId }, orderBy: { createdAt: "asc" } });
    const disruption = await prisma.disruption.findUniqueOrThrow({
      where: { id: disruptionId },
      include: { customer: true },
    });
    if (existing) {
      const approval = await prisma.approval.findFirst({ where: { disruptionId } });
      return {
        grantId: existing.id,
        needsApproval: existing.status === "pending_approval",
        approvalTimeout: approval
          ? `${Math.max(1, Math.round((approval.expiresAt.getTime() - now.getTime()) / 1000))}s`
          : "1h",
        fallbackGestureId: null,
        disruptionKind: disruption.kind,
      };
    }
    const periodStart = new Date(`${period(now)}-01T00:00:00Z`);
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
      prisma.gestureGrant.aggregate({
        _sum: { value: true },
        where: { status: "granted", createdAt: { gte: periodStart } },
      }),
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
          spent: Number(spent._sum.value ?? 0),
          currency: budget?.currency ?? "EUR",
        },
      },
      policies.map((p) => ({ ...p, approvalLimit: Number(p.approvalLimit) })),
      catalog.filter((g) => g.active).map(asGesture),
    );
    if (!decision.give) {
      await addTimeline(prisma, disruptionId, now, "gesture", "No gesture", decision.reason);
      return {
        grantId: null,
        needsApproval: false,
        approvalTimeout: "0s",
        fallbackGestureId: null,
        disruptionKind: disruption.kind,
      };
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
        timeline: {
          at: now,
          type: "gesture",
          summary: decision.needsApproval ? `Proposed ${g.name} (needs approval)` : `Granted ${g.name}`,
          reason: decision.reason,
          data: { value: g.value, currency: g.currency, policyId: decision.policyId },
        },
      },
      budget ? { limit: Number(budget.limit), currency: budget.currency, since: periodStart } : null,
    );
    if (grantId)
      return {
        grantId,
        needsApproval: decision.needsApproval,
        approvalTimeout: decision.approvalTimeout,
        fallbackGestureId: decision.fallback?.id ?? null,
        disruptionKind: disruption.kind,
      };
    // Another grant came first, or the spend moved: the next pass sees it. The step retries if this persists.
    if (attempt >= 5) throw new Error(`could not record a grant for ${disruptionId}: refused ${attempt} times`);
  }
}

export interface ApprovalDecision {
  decision: "approve" | "deny";
  note?: string | null;
  by?: string | null;
}

/** Open the approval a manager sees in the queue. */
export async function requestApproval(
  svc: RecoveryServices,
  disruptionId: string,
  plan: GesturePlan,
  timeoutMs: number,
): Promise<string> {
  const now = svc.now();
  return svc.prisma.$transaction(async (tx) => {
    const open = await tx.approval.findFirst({ where: { disruptionId, grantId: plan.grantId ?? "" } });
    if (open) return open.id;
    const id = `appr_${crypto.randomUUID()}`;
    await tx.approval.create({
      data: { id, disruptionId, grantId: plan.grantId ?? "", expiresAt: new Date(now.getTime() + timeoutMs) },
    });
    await tx.disruption.update({ where: { id: disruptionId }, data: { status: "awaiting_approval" } });
    await addTimeline(
      tx,
      disruptionId,
      now,
      "approval",
      "Approval requested from a manager",
      `decision needed by ${new Date(now.getTime() + timeoutMs).toISOString()}`,
    );
    return id;
  });
}

/** Apply the manager's decision, or the timeout: approve → the gesture stands; deny/timeout → the lesser gesture. */
export async function settleGesture(
  svc: RecoveryServices,
  disruptionId: string,
  plan: GesturePlan,
  decided: ApprovalDecision | null,
): Promise<GesturePlan> {
  const now = svc.now();
  return svc.prisma.$transaction(async (tx) => {
    const grant = plan.grantId ? await tx.gestureGrant.findUnique({ where: { id: plan.grantId } }) : null;
    const approval = await tx.approval.findFirst({ where: { disruptionId, grantId: plan.grantId ?? "" } });
    if (grant?.status !== "pending_approval") return { ...plan, needsApproval: false };
    const status = decided ? (decided.decision === "approve" ? "approved" : "denied") : "expired";
    if (approval?.status === "pending") {
      await tx.approval.update({
        where: { id: approval.id },
        data: { status, decidedAt: now, decidedBy: decided?.by ?? null, note: decided?.note ?? null },
      });
    }
    // The apology went out while the manager decided: back to "notified" (or "open" if it has not).
    const d = await tx.disruption.findUniqueOrThrow({ where: { id: disruptionId }, select: { firstMessageAt: true } });
    await tx.disruption.update({
      where: { id: disruptionId },
      data: { status: d.firstMessageAt ? "notified" : "open" },
    });
    if (status === "approved") {
      await tx.gestureGrant.update({ where: { id: grant.id }, data: { status: "granted" } });
      // decideApproval (src/recovery/decide-approval.ts) already wrote "Approved by …" when it claimed the row.
      if (approval?.status !== "approved")
        await addTimeline(
          tx,
          disruptionId,
          now,
          "approval",
          `Approved by ${decided?.by ?? "a manager"}`,
          decided?.note ?? undefined,
        );
      return { ...plan, needsApproval: false };
    }
    await tx.gestureGrant.update({
      where: { id: grant.id },
      data: { status: status === "denied" ? "denied" : "expired" },
    });
    const why =
      status === "denied"
        ? `Denied by ${decided?.by ?? "a manager"}${decided?.note ? `: ${decided.note}` : ""}`
        : "No decision in time";
    const fallback = (await svc.reference.gestures()).find((g) => g.id === plan.fallbackGestureId) ?? null;
    if (!fallback) {
      await addTimeline(
        tx,
        disruptionId,
        now,
        "approval",
        why,
        "no lesser gesture in the policy; apology without a gesture",
      );
      return { grantId: null, needsApproval: false, approvalTimeout: plan.approvalTimeout, fallbackGestureId: null };
    }
    const grantId = await recordGrant(
      tx,
      grant,
      { ...fallback, value: Number(fallback.value) },
      "granted",
      `${why}; the policy's lesser gesture instead`,
    );
    await addTimeline(
      tx,
      disruptionId,
      now,
      "approval",
      why,
      `falling back to ${fallback.name} (${Number(fallback.value)} ${fallback.currency})`,
    );
    return { grantId, needsApproval: false, approvalTimeout: plan.approvalTimeout, fallbackGestureId: null };
  });
}

type Tx = Parameters<Parameters<RecoveryServices["prisma"]["$transaction"]>[0]>[0];

/** A grant on the record, with its cost and why; vouchers and credits get a unique code. */
async function recordGrant(
  tx: Tx,
  owner: { disruptionId: string; customerId: string },
  g: { id: string; kind: string; description: string; value: number; currency: string },
  status: "granted" | "pending_approval",
  reason: string,
): Promise<string> {
  const id = `grant_${crypto.randomUUID()}`;
  await tx.gestureGrant.create({
    data: {
      id,
      disruptionId: owner.disruptionId,
      customerId: owner.customerId,
      gestureId: g.id,
      kind: g.kind,
      description: g.description,
      value: g.value,
      currency: g.currency,
      code: g.kind === "voucher" || g.kind === "credit" ? voucherCode() : null,
      status,
      reason,
    },
  });
  return id;
}

/** The cap managers set on the policies page (Setting), else the built-in default. */
export const GESTURE_CAP_SETTING = "recovery.gestureCapPer30Days";

function gestureCap(stored: string | null, fallback: number): number {
  const value = stored === null ? Number.NaN : Number(stored);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
}
