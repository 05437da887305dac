import { afterAll, beforeAll, expect, test } from "vitest";
import { HOUR, RUNTIME, startWorld, type World } from "./world.ts";

/**
 * Manifests hold passengers the CRM has not synced yet, and carriers send ETAs
 * for orders whose customer arrives later. Nothing is silently dropped and
 * nobody waits for somebody else: the unknown parts are held and say so, the
 * rest are told at once, and the customer's record releases what was held.
 */

/**
 * Passengers on the flight; FLIGHT_SIZE env var to try other sizes. On Workers each recovery is
 * several HTTP calls through a local workerd (300 take 80–170 s, most of the workers project's
 * time), so the flight there is smaller: what is shown — the unknown never hold back the known —
 * does not depend on the size.
 */
const N = Number(process.env.FLIGHT_SIZE ?? (RUNTIME === "workers" ? 60 : 300));
const UNKNOWN = 5;

let w: World;
beforeAll(async () => {
  w = await startWorld("2026-01-05T10:00:00Z");
});
afterAll(() => w.stop());

const customer = (name: string, email: string) => ({
  name,
  email,
  locale: "en-GB",
  timeZone: "Europe/London",
  tier: "standard",
  preferredChannel: "email",
  consent: { email: true, sms: false },
});

interface EventView {
  status: string;
  outcome: {
    opened: string[];
    ignored: {
      reason: string;
      customerId?: string;
      bookingRef?: string;
      orderId?: string;
      hold?: { status: string; opened?: string[]; supersededBy?: string };
    }[];
  } | null;
}
const eventView = async (id: string) => {
  const answer = await w.request("GET", `/api/events/${encodeURIComponent(id)}`);
  expect(answer.status).toBe(200);
  return answer.body as unknown as EventView;
};

const lateParcel = {
  id: "carrier-unknown-1",
  type: "shipment.eta_updated",
  occurredAt: "2026-01-05T09:00:00Z",
  data: {
    orderId: "ORD-NEW-1",
    customerId: "cust-not-synced",
    promisedBy: "2026-01-05T18:00:00Z",
    newEta: "2026-01-08T12:00:00Z",
  },
};

test("an event for an unknown customer is held, not dropped: GET /api/events/{id} says why", async () => {
  expect((await w.request("POST", "/api/events", lateParcel)).status).toBe(202);
  await w.settle();
  const view = await eventView(lateParcel.id);
  expect(view.status).toBe("processed");
  expect(view.outcome?.opened).toEqual([]);
  expect(view.outcome?.ignored).toEqual([
    expect.objectContaining({
      reason: "unknown_customer",
      customerId: "cust-not-synced",
      orderId: "ORD-NEW-1",
      hold: expect.objectContaining({ status: "held" }),
    }),
  ]);
  expect(await w.prisma.disruption.count({ where: { customerId: "cust-not-synced" } })).toBe(0);
  expect((await w.request("GET", "/api/events/no-such-event")).status).toBe(404);
});

test("the customer's record arriving later starts the pending recovery, once, even when PUT twice", async () => {
  const put = () => w.request("PUT", "/api/customers/cust-not-synced", customer("Grace Hopper", "grace@example.com"));
  expect((await put()).status).toBe(200);
  expect((await put()).status).toBe(200);
  await w.settle();
  expect((await put()).status).toBe(200);
  await w.settle();

  const disruptions = await w.prisma.disruption.findMany({ where: { customerId: "cust-not-synced" } });
  expect(disruptions.map((d) => [d.kind, d.subjectKey])).toEqual([["shipment_delay", "order:ORD-NEW-1"]]);
  const mails = w.resend.deliveries.filter((m) => JSON.stringify(m).includes("grace@example.com"));
  expect(mails).toHaveLength(1);
  const view = await eventView(lateParcel.id);
  expect(view.outcome?.ignored[0]?.hold).toMatchObject({ status: "released", opened: [disruptions[0]?.id] });
  const timeline = await w.prisma.timelineEntry.findMany({ where: { disruptionId: disruptions[0]?.id } });
  expect(timeline.filter((t) => t.summary.startsWith("Held signal released"))).toHaveLength(1);
});

test(`a flight with ${N} bookings, ${UNKNOWN} of them for unknown customers, tells the other ${N - UNKNOWN} and holds the ${UNKNOWN}`, async () => {
  const bookings = Array.from({ length: N }, (_, i) => {
    const ref = `BK${String(i).padStart(4, "0")}`;
    const known = i >= UNKNOWN;
    return {
      bookingRef: ref,
      customerId: known ? `pax-${i}` : `pax-unknown-${i}`,
      ...(known ? { customer: customer(`Passenger ${i}`, `pax-${i}@example.com`) } : {}),
    };
  });
  const cancellation = {
    id: "flightops-MG900-cancel",
    type: "flight.status_changed",
    occurredAt: "2026-01-05T09:30:00Z",
    data: { flightNumber: "MG900", date: "2026-01-05", status: "cancelled", reason: "a storm", bookings },
  };
  expect((await w.request("POST", "/api/events", cancellation)).status).toBe(202);
  await w.settle();

  const view = await eventView(cancellation.id);
  expect(view.outcome?.opened).toHaveLength(N - UNKNOWN);
  expect(view.outcome?.ignored.map((p) => [p.reason, p.customerId, p.bookingRef, p.hold?.status])).toEqual(
    Array.from({ length: UNKNOWN }, (_, i) => [
      "unknown_customer",
      `pax-unknown-${i}`,
      `BK${String(i).padStart(4, "0")}`,
      "held",
    ]),
  );
  const told = await w.prisma.disruption.count({
    where: { subjectKey: { startsWith: "booking:BK" }, firstMessageAt: { not: null } },
  });
  expect(told).toBe(N - UNKNOWN);
  const flightMails = w.resend.deliveries.filter((m) => JSON.stringify(m).includes("MG900"));
  expect(flightMails).toHaveLength(N - UNKNOWN);

  // One of the five arrives: their booking is detected and they are told, once.
  expect(
    (await w.request("PUT", "/api/customers/pax-unknown-2", customer("Late Sync", "late@example.com"))).status,
  ).toBe(200);
  await w.settle();
  expect(w.resend.deliveries.filter((m) => JSON.stringify(m).includes("late@example.com"))).toHaveLength(1);
  const after = await eventView(cancellation.id);
  expect(after.outcome?.ignored.map((p) => p.hold?.status)).toEqual(["held", "held", "released", "held", "held"]);
}, 600_000);

test("a hold expires after the window: a customer arriving later starts nothing", async () => {
  const event = {
    ...lateParcel,
    id: "carrier-unknown-2",
    data: { ...lateParcel.data, orderId: "ORD-NEW-2", customerId: "cust-too-late" },
  };
  expect((await w.request("POST", "/api/events", event)).status).toBe(202);
  await w.settle();
  await w.advance(25 * HOUR);
  expect(
    (await w.request("PUT", "/api/customers/cust-too-late", customer("Too Late", "late2@example.com"))).status,
  ).toBe(200);
  await w.settle();
  expect(await w.prisma.disruption.count({ where: { customerId: "cust-too-late" } })).toBe(0);
  expect((await eventView(event.id)).outcome?.ignored[0]?.hold?.status).toBe("expired");
});

test("a customer embedded in a later event releases what was held for them", async () => {
  const qa = (id: string, deliverableId: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: "deliverable.qa_failed",
    occurredAt: "2026-01-05T09:40:00Z",
    data: {
      deliverableId,
      customerId: "client-later",
      title: "Q4 board pack",
      deliveredAt: "2026-01-05T09:00:00Z",
      issues: [{ summary: "Revenue table totals are wrong", severity: "major" }],
    },
    ...extra,
  });
  expect((await w.request("POST", "/api/events", qa("qa-held", "DLV-1"))).status).toBe(202);
  await w.settle();
  expect((await eventView("qa-held")).outcome?.ignored[0]).toMatchObject({
    reason: "unknown_customer",
    hold: { status: "held" },
  });

  const withCustomer = qa("qa-with-customer", "DLV-2", { customer: customer("Client Later", "client@example.com") });
  expect((await w.request("POST", "/api/events", withCustomer)).status).toBe(202);
  await w.settle();
  const subjects = await w.prisma.disruption.findMany({
    where: { customerId: "client-later" },
    orderBy: { subjectKey: "asc" },
  });
  expect(subjects.map((d) => d.subjectKey)).toEqual(["deliverable:DLV-1", "deliverable:DLV-2"]);
  expect((await eventView("qa-held")).outcome?.ignored[0]?.hold?.status).toBe("released");
});

test("a later ETA for the same order, its customer known, supersedes the hold: no apology from stale facts", async () => {
  const held = {
    ...lateParcel,
    id: "carrier-stale-1",
    data: { ...lateParcel.data, orderId: "ORD-STALE", customerId: "cust-stale" },
  };
  expect((await w.request("POST", "/api/events", held)).status).toBe(202);
  await w.settle();
  // The carrier's next update brings the customer and says the parcel is on time after all.
  const onTime = {
    id: "carrier-stale-2",
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T09:50:00Z",
    customer: customer("Stale Facts", "stale@example.com"),
    data: { ...held.data, newEta: held.data.promisedBy },
  };
  expect((await w.request("POST", "/api/events", onTime)).status).toBe(202);
  await w.settle();
  expect(await w.prisma.disruption.count({ where: { customerId: "cust-stale" } })).toBe(0);
  expect((await eventView(held.id)).outcome?.ignored[0]?.hold).toMatchObject({
    status: "superseded",
    supersededBy: "carrier-stale-2",
  });
  expect((await eventView(onTime.id)).outcome?.ignored.map((p) => p.reason)).toEqual(["not_late"]);
});

test("a parcel delivered while its ETA update was held: the customer arriving afterwards gets no delay apology", async () => {
  const held = {
    ...lateParcel,
    id: "carrier-delivered-1",
    data: { ...lateParcel.data, orderId: "ORD-DELIVERED", customerId: "cust-delivered" },
  };
  const delivered = {
    id: "carrier-delivered-2",
    type: "shipment.delivered",
    occurredAt: "2026-01-05T09:55:00Z",
    data: { orderId: "ORD-DELIVERED", deliveredAt: "2026-01-05T09:55:00Z" },
  };
  for (const event of [held, delivered]) {
    expect((await w.request("POST", "/api/events", event)).status).toBe(202);
    await w.settle();
  }
  expect(
    (await w.request("PUT", "/api/customers/cust-delivered", customer("Got It", "gotit@example.com"))).status,
  ).toBe(200);
  await w.settle();
  expect(await w.prisma.disruption.count({ where: { customerId: "cust-delivered" } })).toBe(0);
  expect((await eventView(held.id)).outcome?.ignored[0]?.hold).toMatchObject({
    status: "superseded",
    supersededBy: delivered.id,
  });
});
