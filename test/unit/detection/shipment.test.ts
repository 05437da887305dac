import { describe, expect, test } from "vitest";
import { detectShipmentDelay, type ShipmentContext } from "../../../src/detection/index.ts";

const PROMISED = "2025-03-10T18:00:00Z";
const MIN = 60_000;
const lateBy = (minutes: number) => new Date(Date.parse(PROMISED) + minutes * MIN).toISOString();
const ctx = (over: Partial<ShipmentContext> = {}): ShipmentContext => ({
  graceMinutes: 60,
  tier: "standard",
  now: new Date("2025-03-09T08:00:00Z"),
  ...over,
});
const eta = (newEta: string, important?: boolean) => ({
  orderId: "ord-1",
  customerId: "cus-1",
  promisedBy: PROMISED,
  newEta,
  ...(important === undefined ? {} : { important }),
});
const DAY = 24 * 60;

describe("when a new ETA is a disruption", () => {
  test("an ETA before the promised date is not", () => {
    const r = detectShipmentDelay(eta(lateBy(-120)), ctx());
    expect(r).toEqual({
      disruption: false,
      subjectKey: "order:ord-1",
      reason: "New ETA is on or before the promised date.",
    });
  });

  test("an ETA exactly at the promised date is not", () => {
    expect(detectShipmentDelay(eta(PROMISED), ctx()).disruption).toBe(false);
  });

  test("an ETA exactly at the end of the grace is not", () => {
    const r = detectShipmentDelay(eta(lateBy(60)), ctx());
    expect(r.disruption).toBe(false);
    expect(r.reason).toBe("New ETA is 1 hour after the promised date, within the 1 hour grace.");
  });

  test("one minute past the grace is", () => {
    const r = detectShipmentDelay(eta(lateBy(61)), ctx());
    expect(r).toMatchObject({ disruption: true, kind: "shipment_delay", subjectKey: "order:ord-1", delayMinutes: 61 });
  });

  test("one second past the grace is, and rounds the delay up", () => {
    const r = detectShipmentDelay(eta(new Date(Date.parse(lateBy(60)) + 1000).toISOString()), ctx());
    expect(r).toMatchObject({ disruption: true, delayMinutes: 61 });
  });

  test("with zero grace, one minute late is a disruption", () => {
    expect(detectShipmentDelay(eta(lateBy(1)), ctx({ graceMinutes: 0 })).disruption).toBe(true);
  });

  test("offsets are instants: 20:00+02:00 is 18:00Z, the promised time, so on time", () => {
    expect(detectShipmentDelay(eta("2025-03-10T20:00:00+02:00"), ctx({ graceMinutes: 0 })).disruption).toBe(false);
  });

  test("across a DST change, the delay is counted in real minutes", () => {
    // Europe/London springs forward on 2025-03-30 at 01:00Z.
    const r = detectShipmentDelay(
      { ...eta("2025-03-30T03:00:00+01:00"), promisedBy: "2025-03-30T00:30:00+00:00" },
      ctx({ graceMinutes: 0 }),
    );
    expect(r).toMatchObject({ disruption: true, delayMinutes: 90 });
  });

  test("the detection carries the customer", () => {
    expect(detectShipmentDelay(eta(lateBy(3 * DAY)), ctx())).toMatchObject({ customerId: "cus-1" });
  });
});

describe("severity", () => {
  const severity = (delay: number, over: Partial<ShipmentContext> = {}, important?: boolean) => {
    const r = detectShipmentDelay(eta(lateBy(delay), important), ctx(over));
    return r.disruption ? r.severity : "none";
  };

  test.each([
    [2 * 60, "low"],
    [2 * DAY, "low"],
    [2 * DAY + 1, "medium"],
    [4 * DAY, "medium"],
    [4 * DAY + 1, "high"],
    [7 * DAY, "high"],
    [7 * DAY + 1, "critical"],
    [30 * DAY, "critical"],
  ])("a delay of %i minutes for a standard customer is %s", (delay, expected) => {
    expect(severity(delay)).toBe(expected);
  });

  test("an important order is one level higher", () => {
    expect(severity(DAY, {}, true)).toBe("medium");
    expect(severity(DAY, {}, false)).toBe("low");
  });

  test("a valued customer is one level higher", () => {
    expect(severity(DAY, { tier: "valued" })).toBe("medium");
  });

  test("a VIP customer is one level higher", () => {
    expect(severity(3 * DAY, { tier: "vip" })).toBe("high");
  });

  test("important and VIP together are two levels higher", () => {
    expect(severity(DAY, { tier: "vip" }, true)).toBe("high");
  });

  test("bumps never go past critical", () => {
    expect(severity(5 * DAY, { tier: "vip" }, true)).toBe("critical");
    expect(severity(10 * DAY, { tier: "vip" }, true)).toBe("critical");
  });
});

describe("reasons a manager can read", () => {
  test("the delay, each bump and the outcome", () => {
    const r = detectShipmentDelay(eta(lateBy(2 * DAY), true), ctx({ tier: "vip" }));
    expect(r.reason).toBe("New ETA is 2 days after the promised date; order flagged important; customer is VIP → high");
  });

  test("a valued customer is named as valued", () => {
    const r = detectShipmentDelay(eta(lateBy(26 * 60)), ctx({ tier: "valued" }));
    expect(r.reason).toBe("New ETA is 1 day 2 hours after the promised date; customer is valued → medium");
  });

  test("it says when the promised date has already passed", () => {
    const r = detectShipmentDelay(eta(lateBy(3 * 60)), ctx({ now: new Date(lateBy(30)) }));
    expect(r.reason).toBe("New ETA is 3 hours after the promised date; the promised date has already passed → low");
  });
});
