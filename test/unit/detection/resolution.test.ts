import { describe, expect, test } from "vitest";
import { resolvedSubjects } from "../../../src/detection/index.ts";

const flight = (status: "departed" | "delayed") => ({
  type: "flight.status_changed" as const,
  data: {
    flightNumber: "BA123",
    date: "2025-03-01",
    status,
    bookings: [
      { bookingRef: "ABC123", customerId: "c1" },
      { bookingRef: "XYZ789", customerId: "c2" },
    ],
  },
});

describe("resolution signals", () => {
  test("a delivery resolves its order", () => {
    expect(
      resolvedSubjects({ type: "shipment.delivered", data: { orderId: "ord-1", deliveredAt: "2025-03-01T10:00:00Z" } }),
    ).toEqual({
      subjectKeys: ["order:ord-1"],
      reason: "Order ord-1 was delivered at 2025-03-01T10:00:00Z.",
      facts: { kind: "delivered", deliveredAt: "2025-03-01T10:00:00Z" },
    });
  });

  test("a departure tells which flight left, from where and when: the follow-up's facts", () => {
    const departed = { ...flight("departed"), occurredAt: "2025-03-01T10:20:00Z" };
    expect(resolvedSubjects(departed)?.facts).toEqual(
      expect.objectContaining({
        kind: "departed",
        flightNumber: departed.data.flightNumber,
        departedAt: "2025-03-01T10:20:00Z",
      }),
    );
  });

  test("a departure resolves every booking on the flight", () => {
    expect(resolvedSubjects(flight("departed"))?.subjectKeys).toEqual(["booking:ABC123", "booking:XYZ789"]);
  });

  test("a delay is not a resolution", () => {
    expect(resolvedSubjects(flight("delayed"))).toBeNull();
  });

  test("a correction resolves its deliverable", () => {
    expect(
      resolvedSubjects({
        type: "deliverable.corrected",
        data: { deliverableId: "dlv-42", correctedAt: "2025-03-01T10:00:00Z" },
      })?.subjectKeys,
    ).toEqual(["deliverable:dlv-42"]);
  });

  test("an ETA update, a QA failure or a complaint resolves nothing", () => {
    expect(
      resolvedSubjects({
        type: "shipment.eta_updated",
        data: { orderId: "o", customerId: "c", promisedBy: "2025-03-01T10:00:00Z", newEta: "2025-03-01T10:00:00Z" },
      }),
    ).toBeNull();
    expect(
      resolvedSubjects({
        type: "customer.complaint_received",
        data: { customerId: "c", channel: "email", receivedAt: "2025-03-01T10:00:00Z" },
      }),
    ).toBeNull();
  });
});
