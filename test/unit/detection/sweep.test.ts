import { describe, expect, test } from "vitest";
import { findOverdueShipments } from "../../../src/detection/index.ts";

const NOW = new Date("2025-03-10T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

describe("the overdue-shipment sweep", () => {
  test("exactly at expected + grace is not overdue; a minute later is", () => {
    const shipments = [
      { orderId: "at-grace", promisedBy: minutesAgo(60) },
      { orderId: "past-grace", promisedBy: minutesAgo(61) },
    ];
    expect(findOverdueShipments(shipments, NOW, 60).map((o) => o.shipment.orderId)).toEqual(["past-grace"]);
  });

  test("the latest ETA counts over the promised date", () => {
    const s = { orderId: "o1", promisedBy: minutesAgo(3 * 24 * 60), newEta: minutesAgo(-60) };
    expect(findOverdueShipments([s], NOW, 0)).toEqual([]);
    const late = { orderId: "o2", promisedBy: minutesAgo(-600), newEta: minutesAgo(120) };
    expect(findOverdueShipments([late], NOW, 60)[0]).toMatchObject({ overdueMinutes: 120, subjectKey: "order:o2" });
  });

  test("a null ETA falls back to the promised date", () => {
    expect(findOverdueShipments([{ orderId: "o", promisedBy: minutesAgo(90), newEta: null }], NOW, 60)).toHaveLength(1);
  });

  test("delivered shipments are never overdue", () => {
    const s = { orderId: "o", promisedBy: minutesAgo(5000), deliveredAt: minutesAgo(10) };
    expect(findOverdueShipments([s], NOW, 0)).toEqual([]);
  });

  test("most overdue first, with the caller's own fields kept", () => {
    const out = findOverdueShipments(
      [
        { orderId: "a", promisedBy: minutesAgo(100), customerId: "c1" },
        { orderId: "b", promisedBy: minutesAgo(1000), customerId: "c2" },
        { orderId: "c", promisedBy: minutesAgo(500), customerId: "c3" },
      ],
      NOW,
      30,
    );
    expect(out.map((o) => [o.shipment.orderId, o.shipment.customerId, o.overdueMinutes])).toEqual([
      ["b", "c2", 1000],
      ["c", "c3", 500],
      ["a", "c1", 100],
    ]);
  });

  test("the reason reads as a sentence", () => {
    const [o] = findOverdueShipments([{ orderId: "o9", promisedBy: new Date("2025-03-10T09:00:00Z") }], NOW, 60);
    expect(o?.expectedBy).toBe("2025-03-10T09:00:00.000Z");
    expect(o?.reason).toBe(
      "Order o9 is not delivered, 3 hours past its promised date (2025-03-10T09:00:00.000Z); grace is 1 hour.",
    );
  });

  test("an unreadable date is an error naming the field, not a silent skip", () => {
    expect(() => findOverdueShipments([{ orderId: "o", promisedBy: "soon" }], NOW, 60)).toThrow(/promisedBy/);
  });
});
