import { afterAll, beforeAll, expect, test } from "vitest";
import { HOUR, putCustomer, startWorld, type World } from "./world.ts";

// The sweep is an Inngest cron function, fired by the engine every 15 minutes (…:00, :15, :30, :45):
// the embedded engine on Node, the Inngest server on Workers. The grace is 60 minutes.
let w: World;
beforeAll(async () => {
  w = await startWorld("2026-01-05T10:00:00Z");
});
afterAll(() => w.stop());

const MINUTE = 60_000;

const customer = (id: string) => putCustomer(w, id, { name: "Grace Hopper", phone: "+447911123555" });

/** A carrier update with the ETA on the promised date: not a disruption, but the shipment is known. */
async function onTime(orderId: string, customerId: string, newEta: string) {
  const sent = await w.request("POST", "/api/events", {
    id: `eta-${orderId}`,
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T09:55:00Z",
    data: { orderId, customerId, promisedBy: newEta, newEta, reason: "on schedule" },
  });
  expect(sent.status).toBe(202);
}

const disruptions = (orderId: string) => w.prisma.disruption.findMany({ where: { subjectKey: `order:${orderId}` } });
const mailsTo = (id: string) => w.resend.deliveries.filter((d) => JSON.stringify(d.to).includes(`${id}@example.com`));

test("a parcel with no delivery scan after its ETA + grace becomes a predicted delay, once", async () => {
  await customer("sweep-late");
  await customer("sweep-delivered");
  await customer("sweep-future");
  await onTime("SW-LATE", "sweep-late", "2026-01-05T14:00:00Z");
  await onTime("SW-DELIVERED", "sweep-delivered", "2026-01-05T14:00:00Z");
  await onTime("SW-FUTURE", "sweep-future", "2026-01-06T12:00:00Z");
  await w.settle();
  for (const order of ["SW-LATE", "SW-DELIVERED", "SW-FUTURE"]) expect(await disruptions(order)).toHaveLength(0);

  const delivered = await w.request("POST", "/api/events", {
    id: "delivered-sw-delivered",
    type: "shipment.delivered",
    occurredAt: "2026-01-05T13:50:00Z",
    data: { orderId: "SW-DELIVERED", deliveredAt: "2026-01-05T13:50:00Z" },
  });
  expect(delivered.status).toBe(202);
  await w.settle();

  // 15:00: exactly ETA + grace is not overdue yet; ticks up to here have run.
  await w.advance(5 * HOUR);
  expect(await disruptions("SW-LATE")).toHaveLength(0);
  expect(mailsTo("sweep-late")).toHaveLength(0);

  // The 15:15 tick: 75 minutes past the ETA.
  await w.advance(15 * MINUTE);
  const [d] = await disruptions("SW-LATE");
  expect(d).toMatchObject({
    kind: "shipment_delay",
    severity: "low",
    reason: "The ETA of 2026-01-05T14:00:00.000Z passed with no delivery scan; the parcel is likely late.",
  });
  const timeline = await w.prisma.timelineEntry.findMany({ where: { disruptionId: d?.id }, orderBy: { at: "asc" } });
  expect(timeline.map((t) => t.type)).toEqual(expect.arrayContaining(["signal", "detection", "message"]));
  expect(timeline.find((t) => t.type === "detection")?.reason).toContain("overdue by 1 hour 15 minutes");

  const mails = mailsTo("sweep-late");
  expect(mails).toHaveLength(1);
  const mail = JSON.stringify(mails[0]);
  expect(mail).toContain("SW-LATE");
  expect(mail).toContain("no delivery scan");
  expect(mail).toContain("Tuesday 6 January, in the afternoon"); // the predicted ETA (15:15, a day from the sweep), as a person says it
  expect(w.twilio.deliveries.filter((m) => m.to === "+447911123555")).toHaveLength(1);
  expect((await w.prisma.disruption.findUniqueOrThrow({ where: { id: d?.id as string } })).status).toBe("notified");

  // The next ticks find the open disruption and do nothing more.
  await w.advance(30 * MINUTE);
  expect(await disruptions("SW-LATE")).toHaveLength(1);
  expect(mailsTo("sweep-late")).toHaveLength(1);

  // Delivered before its ETA passed: never swept. Not due yet: not swept.
  expect(await disruptions("SW-DELIVERED")).toHaveLength(0);
  expect(mailsTo("sweep-delivered")).toHaveLength(0);
  expect(await disruptions("SW-FUTURE")).toHaveLength(0);
});

test("the delivery scan closes the swept disruption with a thank-you; later sweeps leave it alone", async () => {
  const sent = await w.request("POST", "/api/events", {
    id: "delivered-sw-late",
    type: "shipment.delivered",
    occurredAt: "2026-01-05T16:00:00Z",
    data: { orderId: "SW-LATE", deliveredAt: "2026-01-05T16:00:00Z" },
  });
  expect(sent.status).toBe(202);
  await w.settle();
  const [d] = await disruptions("SW-LATE");
  expect(d?.status).toBe("resolved");
  expect(mailsTo("sweep-late")).toHaveLength(2);
  await w.advance(HOUR);
  expect(await disruptions("SW-LATE")).toHaveLength(1);
  expect(mailsTo("sweep-late")).toHaveLength(2);
});
