/**
 * Gesture policy: which gesture a disruption earns, and whether a manager must
 * approve it. Pure: the caller loads the catalog, policies, the customer's recent
 * grants and the period's spend. Every outcome carries a reason a manager can read.
 */
export type GestureKind = "voucher" | "complimentary_item" | "free_session" | "credit";

export interface Gesture {
  id: string;
  kind: GestureKind;
  name: string;
  description: string;
  howToUse?: string | null;
  value: number;
  currency: string;
}

export interface GesturePolicy {
  id: string;
  disruptionKind: string;
  severity: string;
  tier: string;
  gestureId: string;
  fallbackGestureId?: string | null;
  approvalLimit: number;
  approvalTimeout: string;
  priority?: number;
}

export interface GestureContext {
  disruptionKind: string;
  severity: string;
  tier: string;
  /** Gestures granted to this customer in the last 30 days. */
  recentGrants: number;
  capPer30Days: number;
  budget: { limit: number; spent: number; currency: string };
}

export type GestureDecision =
  | { give: false; reason: string; policyId?: string }
  | {
      give: true;
      gesture: Gesture;
      /** The lesser gesture sent if approval is denied or not given in time. */
      fallback: Gesture | null;
      needsApproval: boolean;
      approvalTimeout: string;
      policyId: string;
      reason: string;
    };

const specificity = (p: GesturePolicy) =>
  Number(p.disruptionKind !== "*") * 4 + Number(p.severity !== "*") * 2 + Number(p.tier !== "*");

export function findPolicy(ctx: GestureContext, policies: GesturePolicy[]): GesturePolicy | undefined {
  const fits = (value: string, wanted: string) => value === "*" || value === wanted;
  return policies
    .filter(
      (p) => fits(p.disruptionKind, ctx.disruptionKind) && fits(p.severity, ctx.severity) && fits(p.tier, ctx.tier),
    )
    .sort((a, b) => specificity(b) - specificity(a) || (b.priority ?? 0) - (a.priority ?? 0))[0];
}

export function chooseGesture(ctx: GestureContext, policies: GesturePolicy[], catalog: Gesture[]): GestureDecision {
  const policy = findPolicy(ctx, policies);
  const label = `${ctx.disruptionKind} × ${ctx.severity} × ${ctx.tier}`;
  if (!policy) return { give: false, reason: `no gesture policy covers ${label}` };
  const byId = new Map(catalog.map((g) => [g.id, g]));
  const gesture = byId.get(policy.gestureId);
  const fallback = policy.fallbackGestureId ? (byId.get(policy.fallbackGestureId) ?? null) : null;
  if (!gesture)
    return {
      give: false,
      policyId: policy.id,
      reason: `policy ${policy.id} names gesture ${policy.gestureId}, which is not in the catalog`,
    };
  if (ctx.recentGrants >= ctx.capPer30Days) {
    return {
      give: false,
      policyId: policy.id,
      reason: `customer already received ${ctx.recentGrants} gesture(s) in 30 days (cap ${ctx.capPer30Days}); apology without a gesture`,
    };
  }
  const remaining = ctx.budget.limit - ctx.budget.spent;
  const fitsBudget = (g: Gesture) => g.currency !== ctx.budget.currency || g.value <= remaining;
  const why = `policy ${policy.id} (${label}) gives "${gesture.name}" worth ${gesture.value} ${gesture.currency}`;
  if (!fitsBudget(gesture)) {
    if (fallback && fitsBudget(fallback)) {
      return decision(
        fallback,
        null,
        policy,
        `${why}, but only ${remaining} ${ctx.budget.currency} of this period's budget is left; the lesser "${fallback.name}" fits`,
      );
    }
    return {
      give: false,
      policyId: policy.id,
      reason: `${why}, but this period's budget has ${remaining} ${ctx.budget.currency} left`,
    };
  }
  const needsApproval = gesture.value > policy.approvalLimit;
  const approval = needsApproval
    ? `; above the auto-approve limit of ${policy.approvalLimit}, so a manager decides within ${policy.approvalTimeout}${fallback ? ` (else "${fallback.name}")` : ""}`
    : `; within the auto-approve limit of ${policy.approvalLimit}`;
  return decision(gesture, needsApproval ? fallback : null, policy, why + approval, needsApproval);
}

function decision(
  gesture: Gesture,
  fallback: Gesture | null,
  policy: GesturePolicy,
  reason: string,
  needsApproval = false,
): GestureDecision {
  return {
    give: true,
    gesture,
    fallback,
    needsApproval,
    approvalTimeout: policy.approvalTimeout,
    policyId: policy.id,
    reason,
  };
}
