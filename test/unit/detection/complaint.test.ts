import { describe, expect, test } from "vitest";
import { matchComplaint, type OpenDisruptionRef } from "../../../src/detection/index.ts";

const disruption = (
  id: string,
  subjectKey: string,
  openedAt: string,
  firstMessageAt: string | null,
  customerId = "cus-1",
) => ({ id, subjectKey, customerId, openedAt, firstMessageAt }) satisfies OpenDisruptionRef;

const shipment = disruption("d1", "order:ord-1", "2025-03-01T08:00:00Z", "2025-03-01T08:00:05Z");
const flight = disruption("d2", "booking:ABC123", "2025-03-01T09:00:00Z", null);
const qa = disruption("d3", "deliverable:dlv-9", "2025-02-20T09:00:00Z", "2025-02-20T09:01:00Z");
const open = [shipment, flight, qa];

describe("matching a complaint to a disruption", () => {
  test("by reference to an order", () => {
    const m = matchComplaint({ customerId: "cus-1", reference: "ord-1", receivedAt: "2025-03-01T10:00:00Z" }, open);
    expect(m.disruption?.id).toBe("d1");
    expect(m.matchedBy).toBe("reference");
  });

  test("by reference to a booking and to a deliverable", () => {
    const at = "2025-03-01T10:00:00Z";
    expect(matchComplaint({ customerId: "cus-1", reference: "ABC123", receivedAt: at }, open).disruption?.id).toBe(
      "d2",
    );
    expect(matchComplaint({ customerId: "cus-1", reference: "dlv-9", receivedAt: at }, open).disruption?.id).toBe("d3");
  });

  test("without a reference, the most recently opened one", () => {
    const m = matchComplaint({ customerId: "cus-1", receivedAt: "2025-03-01T10:00:00Z" }, open);
    expect(m).toMatchObject({ matchedBy: "most_recent", disruption: { id: "d2" } });
    expect(m.reason).toContain("No reference");
  });

  test("a reference that matches nothing falls back to the most recent, and says so", () => {
    const m = matchComplaint({ customerId: "cus-1", reference: "ord-404", receivedAt: "2025-03-01T10:00:00Z" }, open);
    expect(m).toMatchObject({ matchedBy: "most_recent", disruption: { id: "d2" } });
    expect(m.reason).toContain("Reference ord-404 matches no open disruption");
  });

  test("another customer's disruption is never matched, even by reference", () => {
    const other = disruption("d9", "order:ord-1", "2025-03-01T09:30:00Z", null, "cus-2");
    const m = matchComplaint({ customerId: "cus-2", reference: "ord-1", receivedAt: "2025-03-01T10:00:00Z" }, [
      shipment,
      other,
    ]);
    expect(m.disruption?.id).toBe("d9");
    expect(matchComplaint({ customerId: "cus-3", receivedAt: "2025-03-01T10:00:00Z" }, open).matchedBy).toBe("none");
  });

  test("no open disruption: nothing to attach to", () => {
    expect(matchComplaint({ customerId: "cus-1", receivedAt: "2025-03-01T10:00:00Z" }, [])).toEqual({
      disruption: null,
      matchedBy: "none",
      complainedFirst: null,
      reason: "Customer cus-1 has no open disruption.",
    });
  });
});

describe("who was first", () => {
  const at = (receivedAt: string, firstMessageAt: string | null) =>
    matchComplaint({ customerId: "cus-1", reference: "ord-1", receivedAt }, [
      disruption("d1", "order:ord-1", "2025-03-01T08:00:00Z", firstMessageAt),
    ]).complainedFirst;

  test("we had sent nothing yet: the customer was first", () => {
    expect(at("2025-03-01T10:00:00Z", null)).toBe(true);
  });

  test("our message went out after the complaint: the customer was first", () => {
    expect(at("2025-03-01T10:00:00Z", "2025-03-01T10:00:01Z")).toBe(true);
  });

  test("our message went out before the complaint: we were first", () => {
    expect(at("2025-03-01T10:00:00Z", "2025-03-01T09:59:59Z")).toBe(false);
  });

  test("at the same instant, we count as first", () => {
    expect(at("2025-03-01T10:00:00Z", "2025-03-01T11:00:00+01:00")).toBe(false);
  });

  test("Date objects work as well as strings", () => {
    const m = matchComplaint({ customerId: "cus-1", receivedAt: new Date("2025-03-01T10:00:00Z") }, [
      {
        id: "d1",
        subjectKey: "order:o",
        openedAt: new Date("2025-03-01T08:00:00Z"),
        firstMessageAt: new Date("2025-03-01T08:01:00Z"),
      },
    ]);
    expect(m.complainedFirst).toBe(false);
  });
});
