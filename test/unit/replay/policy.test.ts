import { describe, expect, test } from "vitest";
import type { Gesture, GesturePolicy } from "../../../src/recovery/gestures.ts";
import { type PolicyWorld, type ReplayDisruption, replayPolicy, spendChange } from "../../../src/replay/policy.ts";

const gift: Gesture = {
  id: "gift",
  kind: "complimentary_item",
  name: "Gift",
  description: "a gift",
  value: 120,
  currency: "EUR",
};
const voucher: Gesture = {
  id: "v20",
  kind: "voucher",
  name: "Voucher",
  description: "20 off",
  value: 20,
  currency: "EUR",
};
const policy = (over: Partial<GesturePolicy> = {}): GesturePolicy => ({
  id: "p",
  disruptionKind: "shipment_delay",
  severity: "*",
  tier: "*",
  gestureId: "gift",
  fallbackGestureId: "v20",
  approvalLimit: 200,
  approvalTimeout: "4h",
  ...over,
});
const world = (over: Partial<PolicyWorld> = {}): PolicyWorld => ({
  policies: [policy()],
  catalog: [gift, voucher],
  budgets: new Map(),
  capPer30Days: 3,
  ...over,
});
const at = (day: number) => new Date(Date.UTC(2026, 0, day, 12));
const d = (id: string, customerId: string, day: number, kind = "shipment_delay"): ReplayDisruption => ({
  id,
  customerId,
  kind,
  severity: "high",
  tier: "valued",
  at: at(day),
});

describe("policy replay", () => {
  test("lowering the approval limit below the gift's value turns every auto-grant into an approval; the spend if approved stays", () => {
    const past = [d("a", "c1", 1), d("b", "c2", 2), d("c", "c3", 3), d("x", "c4", 4, "flight_cancelled")];
    const r = replayPolicy(past, world(), world({ policies: [policy({ approvalLimit: 100 })] }));
    expect(r.before).toEqual({ gestures: 3, approvals: 0, spend: { EUR: 360 }, autoSpend: { EUR: 360 }, noGesture: 1 });
    expect(r.after).toEqual({ gestures: 3, approvals: 3, spend: { EUR: 360 }, autoSpend: {}, noGesture: 1 });
    expect(r.changedCount).toBe(3);
    expect(r.changed[0]).toEqual({
      disruptionId: "a",
      before: "Gift (120 EUR)",
      after: "Gift (120 EUR), needs approval",
    });
    expect(spendChange(r)).toEqual({ EUR: 0 });
  });

  test("a smaller budget gives the lesser gesture once the month's spend leaves no room, in time order", () => {
    // Given out of order: the replay sorts by time.
    const past = [d("c", "c3", 3), d("a", "c1", 1), d("b", "c2", 2)];
    const budgets = new Map([["2026-01", { limit: 250, currency: "EUR" }]]);
    const r = replayPolicy(past, world(), world({ budgets }));
    // 120 + 120 = 240 spent; the third gift (120) does not fit in 10 left, nor does the 20 voucher.
    expect(r.after.spend).toEqual({ EUR: 240 });
    expect(r.changed).toEqual([{ disruptionId: "c", before: "Gift (120 EUR)", after: "no gesture" }]);
    expect(spendChange(r)).toEqual({ EUR: -120 });
  });

  test("the per-customer cap counts only the customer's own grants in the 30 days before", () => {
    const past = [d("a", "c1", 1), d("b", "c1", 5), d("c", "c1", 40), d("e", "c2", 5)];
    const r = replayPolicy(past, world(), world({ capPer30Days: 1 }));
    expect(r.changed.map((c) => [c.disruptionId, c.after])).toEqual([["b", "no gesture"]]);
    expect(r.after.gestures).toBe(3);
  });

  test("nothing changes when the change changes nothing", () => {
    const past = [d("a", "c1", 1), d("b", "c2", 2)];
    const r = replayPolicy(past, world(), world());
    expect(r.changedCount).toBe(0);
    expect(r.before).toEqual(r.after);
  });
});
