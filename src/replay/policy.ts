/**
 * Policy replay, pure: what the gesture policy would have decided for past disruptions, under the
 * policies in force and under a changed set (a policy edited, a budget or the per-customer cap
 * changed). Both sides are simulated the same way, in time order, so the difference is the
 * change's alone: each side keeps its own running spend per month and its own grants per customer
 * (30-day cap). A gesture above its policy's approval limit counts as an approval that would have
 * been requested, and its value as spend (what it costs if the manager approves).
 */
import { chooseGesture, type Gesture, type GestureDecision, type GesturePolicy } from "../recovery/gestures.ts";

export interface ReplayDisruption {
  id: string;
  customerId: string;
  kind: string;
  severity: string;
  tier: string;
  at: Date;
}

export interface PolicyWorld {
  policies: GesturePolicy[];
  catalog: Gesture[];
  /** month ("2026-01") → budget; a month without one has no limit */
  budgets: ReadonlyMap<string, { limit: number; currency: string }>;
  capPer30Days: number;
}

export interface PolicyOutcome {
  /** disruptions that get a gesture (auto-granted or proposed for approval) */
  gestures: number;
  /** of those, how many a manager would have had to approve */
  approvals: number;
  /** what they cost, per currency */
  spend: Record<string, number>;
  /** the part of the spend granted without a manager */
  autoSpend: Record<string, number>;
  noGesture: number;
}

export interface ChangedDecision {
  disruptionId: string;
  before: string;
  after: string;
}

export interface PolicyReplay {
  disruptions: number;
  before: PolicyOutcome;
  after: PolicyOutcome;
  /** disruptions whose gesture, its approval or its absence differs */
  changedCount: number;
  changed: ChangedDecision[];
}

const DAY_MS = 86_400_000;
const month = (at: Date) => at.toISOString().slice(0, 7);

/** One line a person reads: "Complimentary item (120 EUR), needs approval" or "no gesture". */
export function describeDecision(d: GestureDecision): string {
  if (!d.give) return "no gesture";
  return `${d.gesture.name} (${d.gesture.value} ${d.gesture.currency})${d.needsApproval ? ", needs approval" : ""}`;
}

/** The decisions of one world over the disruptions, in time order. */
export function simulate(disruptions: readonly ReplayDisruption[], world: PolicyWorld): GestureDecision[] {
  const times = disruptions.map((d) => d.at.getTime());
  const order = times.map((_, i) => i).sort((a, b) => (times[a] ?? 0) - (times[b] ?? 0));
  const spent = new Map<string, number>();
  const grantsOf = new Map<string, number[]>();
  const out: GestureDecision[] = new Array(disruptions.length);
  for (const i of order) {
    const d = disruptions[i] as ReplayDisruption;
    const period = month(d.at);
    const budget = world.budgets.get(period);
    const since = d.at.getTime() - 30 * DAY_MS;
    const recent = (grantsOf.get(d.customerId) ?? []).filter((t) => t >= since).length;
    const decision = chooseGesture(
      {
        disruptionKind: d.kind,
        severity: d.severity,
        tier: d.tier,
        recentGrants: recent,
        capPer30Days: world.capPer30Days,
        budget: {
          limit: budget?.limit ?? Number.POSITIVE_INFINITY,
          spent: spent.get(period) ?? 0,
          currency: budget?.currency ?? "EUR",
        },
      },
      world.policies,
      world.catalog,
    );
    out[i] = decision;
    if (decision.give) {
      // As planGesture counts them: a pending grant counts toward the cap; only granted ones spend.
      grantsOf.set(d.customerId, [...(grantsOf.get(d.customerId) ?? []), d.at.getTime()]);
      if (!decision.needsApproval) spent.set(period, (spent.get(period) ?? 0) + decision.gesture.value);
    }
  }
  return out;
}

export function outcomeOf(decisions: readonly GestureDecision[]): PolicyOutcome {
  const o: PolicyOutcome = { gestures: 0, approvals: 0, spend: {}, autoSpend: {}, noGesture: 0 };
  const add = (into: Record<string, number>, g: Gesture) => {
    into[g.currency] = round2((into[g.currency] ?? 0) + g.value);
  };
  for (const d of decisions) {
    if (!d.give) {
      o.noGesture++;
      continue;
    }
    o.gestures++;
    add(o.spend, d.gesture);
    if (d.needsApproval) o.approvals++;
    else add(o.autoSpend, d.gesture);
  }
  return o;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The change's effect: both worlds simulated over the same disruptions; `sample` changed decisions listed. */
export function replayPolicy(
  disruptions: readonly ReplayDisruption[],
  before: PolicyWorld,
  after: PolicyWorld,
  sample = 20,
): PolicyReplay {
  const a = simulate(disruptions, before);
  const b = simulate(disruptions, after);
  const changed: ChangedDecision[] = [];
  let changedCount = 0;
  disruptions.forEach((d, i) => {
    const was = describeDecision(a[i] as GestureDecision);
    const now = describeDecision(b[i] as GestureDecision);
    if (was === now) return;
    changedCount++;
    if (changed.length < sample) changed.push({ disruptionId: d.id, before: was, after: now });
  });
  return { disruptions: disruptions.length, before: outcomeOf(a), after: outcomeOf(b), changedCount, changed };
}

/** Spend after minus before, per currency (every currency either side names). */
export function spendChange(r: PolicyReplay, which: "spend" | "autoSpend" = "spend"): Record<string, number> {
  const out: Record<string, number> = {};
  const [a, b] = [r.before[which], r.after[which]];
  for (const c of new Set([...Object.keys(a), ...Object.keys(b)])) out[c] = round2((b[c] ?? 0) - (a[c] ?? 0));
  return out;
}
