import { expect, test } from "vitest";
import {
  chooseGesture,
  type Gesture,
  type GestureContext,
  type GesturePolicy,
} from "../../../src/recovery/gestures.ts";

const catalog: Gesture[] = [
  { id: "meal-50", kind: "voucher", name: "Meal voucher", description: "A meal on us", value: 50, currency: "EUR" },
  {
    id: "overnight-item",
    kind: "complimentary_item",
    name: "Complimentary item, overnight",
    description: "…",
    value: 120,
    currency: "EUR",
  },
  { id: "credit-15", kind: "credit", name: "15 credit", description: "…", value: 15, currency: "EUR" },
];
const policies: GesturePolicy[] = [
  {
    id: "p-flight",
    disruptionKind: "flight_cancelled",
    severity: "*",
    tier: "*",
    gestureId: "meal-50",
    approvalLimit: 100,
    approvalTimeout: "4h",
  },
  {
    id: "p-ship-any",
    disruptionKind: "shipment_delay",
    severity: "*",
    tier: "*",
    gestureId: "credit-15",
    approvalLimit: 100,
    approvalTimeout: "4h",
  },
  {
    id: "p-ship-high-valued",
    disruptionKind: "shipment_delay",
    severity: "high",
    tier: "valued",
    gestureId: "overnight-item",
    fallbackGestureId: "credit-15",
    approvalLimit: 100,
    approvalTimeout: "2h",
  },
];
const ctx = (over: Partial<GestureContext> = {}): GestureContext => ({
  disruptionKind: "shipment_delay",
  severity: "high",
  tier: "valued",
  recentGrants: 0,
  capPer30Days: 3,
  budget: { limit: 5000, spent: 0, currency: "EUR" },
  ...over,
});

test("the most specific policy wins and a gesture above the limit needs approval, with the lesser one as fallback", () => {
  const d = chooseGesture(ctx(), policies, catalog);
  expect(d).toMatchObject({
    give: true,
    gesture: { id: "overnight-item" },
    fallback: { id: "credit-15" },
    needsApproval: true,
    approvalTimeout: "2h",
    policyId: "p-ship-high-valued",
  });
  if (d.give) expect(d.reason).toContain("auto-approve limit of 100");
});

test("a gesture within the limit is granted without approval", () => {
  expect(chooseGesture(ctx({ tier: "standard" }), policies, catalog)).toMatchObject({
    give: true,
    gesture: { id: "credit-15" },
    needsApproval: false,
    fallback: null,
  });
  expect(chooseGesture(ctx({ disruptionKind: "flight_cancelled" }), policies, catalog)).toMatchObject({
    gesture: { id: "meal-50" },
    needsApproval: false,
  });
});

test("the 30-day cap per customer stops further gestures, and says so", () => {
  const d = chooseGesture(ctx({ recentGrants: 3 }), policies, catalog);
  expect(d).toMatchObject({ give: false });
  expect(d.reason).toContain("cap 3");
});

test("when the budget cannot cover the gesture the fallback is used if it fits, else none", () => {
  expect(chooseGesture(ctx({ budget: { limit: 1000, spent: 950, currency: "EUR" } }), policies, catalog)).toMatchObject(
    {
      give: true,
      gesture: { id: "credit-15" },
      needsApproval: false,
    },
  );
  const none = chooseGesture(ctx({ budget: { limit: 1000, spent: 990, currency: "EUR" } }), policies, catalog);
  expect(none).toMatchObject({ give: false });
  expect(none.reason).toContain("10 EUR left");
});

test("no policy means no gesture, with the combination named", () => {
  expect(chooseGesture(ctx({ disruptionKind: "deliverable_error" }), policies, catalog).reason).toBe(
    "no gesture policy covers deliverable_error × high × valued",
  );
});
