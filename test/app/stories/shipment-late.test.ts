import { afterAll, beforeAll, expect, test } from "vitest";
import { HOUR, startWorld, type World } from "./world.ts";

let w: World;
beforeAll(async () => {
  // 15:00 UTC is 10:00 in New York: inside the SMS window.
  w = await startWorld("2026-01-05T15:00:00Z");
});
afterAll(() => w.stop());

let n = 0;
/** A valued customer whose order for an event will be four days late. */
async function lateOrder() {
  n += 1;
  const customerId = `cust-grace-${n}`;
  const email = `grace${n}@example.com`;
  const phone = `+1212555010${n}`;
  const put = await w.request("PUT", `/api/customers/${customerId}`, {
    name: "Grace Hopper",
    email,
    phone,
    locale: "en-US",
    timeZone: "America/New_York",
    tier: "valued",
    preferredChannel: "both",
    consent: { email: true, sms: true },
  });
  expect(put.status).toBe(200);
  const orderId = `ORD-${n}00`;
  const sent = await w.request("POST", "/api/events", {
    id: `carrier-${orderId}-eta-1`,
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T14:58:00Z",
    data: {
      orderId,
      customerId,
      promisedBy: "2026-01-06T18:00:00Z",
      newEta: "2026-01-10T16:00:00Z",
      carrier: "ParcelCo",
      reason: "a storm closed the carrier's hub",
      trackingUrl: `https://track.example.com/${orderId}`,
      important: true,
      items: [{ sku: "TBL-1", name: "Linen tablecloth" }],
    },
  });
  expect(sent.status).toBe(202);
  await w.settle();
  const disruption = await w.prisma.disruption.findFirstOrThrow({ where: { subjectKey: `order:${orderId}` } });
  return { customerId, email, phone, orderId, disruption };
}

const mailsTo = (w: World, email: string) => w.resend.deliveries.filter((d) => JSON.stringify(d.to).includes(email));
const smsTo = (w: World, phone: string) => w.twilio.deliveries.filter((d) => d.to === phone);

test("story 2: nobody complained yet; the costly gesture waits for a manager, who approves it, and the customer hears it all", async () => {
  const order = await lateOrder();
  expect(order.disruption.kind).toBe("shipment_delay");
  const detail = await w.request("GET", `/api/disruptions/${order.disruption.id}`);
  expect(detail.body.approvals).toEqual([expect.objectContaining({ status: "pending" })]);
  expect(detail.body.grants).toEqual([
    expect.objectContaining({ status: "pending_approval", kind: "complimentary_item", value: 120 }),
  ]);
  expect(mailsTo(w, order.email)).toHaveLength(0);

  const approve = await w.request("POST", `/api/disruptions/${order.disruption.id}/approval`, {
    decision: "approve",
    note: "important order",
  });
  expect(approve.status).toBe(200);
  await w.settle();

  const [mail] = mailsTo(w, order.email);
  const text = JSON.stringify(mail);
  for (const needle of ["Grace", order.orderId, "complimentary gift", "overnight", "January 10"])
    expect(text).toContain(needle);
  expect(smsTo(w, order.phone)).toHaveLength(1);
  expect(smsTo(w, order.phone)[0]?.body).toContain(order.orderId);

  const audit = await w.prisma.auditLog.findMany({ where: { target: order.disruption.id } });
  expect(audit.map((a) => [a.actor, a.action])).toEqual([["api key ops", "approval.approve"]]);

  // A second decision is refused: the approval is settled.
  expect(
    (await w.request("POST", `/api/disruptions/${order.disruption.id}/approval`, { decision: "deny" })).status,
  ).toBe(409);

  // Delivered: a short thank-you closes the loop.
  const delivered = await w.request("POST", "/api/events", {
    id: `carrier-${order.orderId}-delivered`,
    type: "shipment.delivered",
    occurredAt: "2026-01-05T16:00:00Z",
    data: { orderId: order.orderId, deliveredAt: "2026-01-05T16:00:00Z" },
  });
  expect(delivered.status).toBe(202);
  await w.settle();
  const mails = mailsTo(w, order.email);
  expect(mails).toHaveLength(2);
  expect(JSON.stringify(mails[1])).toContain(order.orderId);
  const after = await w.prisma.disruption.findUniqueOrThrow({ where: { id: order.disruption.id } });
  expect(after.status).toBe("resolved");
  expect(after.followUpSentAt).not.toBeNull();
});

test("story 2, denied: the manager says no and the policy's lesser gesture goes out instead", async () => {
  const order = await lateOrder();
  const deny = await w.request("POST", `/api/disruptions/${order.disruption.id}/approval`, {
    decision: "deny",
    note: "budget",
  });
  expect(deny.status).toBe(200);
  await w.settle();
  const grants = await w.prisma.gestureGrant.findMany({
    where: { disruptionId: order.disruption.id },
    orderBy: { createdAt: "asc" },
  });
  expect(grants.map((g) => [g.kind, g.status])).toEqual([
    ["complimentary_item", "denied"],
    ["credit", "granted"],
  ]);
  const text = JSON.stringify(mailsTo(w, order.email));
  expect(text).toContain(grants[1]?.code as string);
  expect(text).not.toContain("complimentary gift");
});

test("story 2, nobody decides in time: after the approval timeout the lesser gesture is sent", async () => {
  const order = await lateOrder();
  await w.advance(3 * HOUR);
  expect(mailsTo(w, order.email)).toHaveLength(0);
  await w.advance(1 * HOUR + 1000);
  const grants = await w.prisma.gestureGrant.findMany({
    where: { disruptionId: order.disruption.id },
    orderBy: { createdAt: "asc" },
  });
  expect(grants.map((g) => g.status)).toEqual(["expired", "granted"]);
  expect(JSON.stringify(mailsTo(w, order.email))).toContain(grants[1]?.code as string);
  const approval = await w.prisma.approval.findFirstOrThrow({ where: { disruptionId: order.disruption.id } });
  expect(approval.status).toBe("expired");
});

test("when the promised follow-up time passes unresolved, a proactive update goes out instead of silence", async () => {
  const put = await w.request("PUT", "/api/customers/cust-patient", {
    name: "Mary Jackson",
    email: "mary@example.com",
    locale: "en-US",
    timeZone: "America/New_York",
    tier: "standard",
    preferredChannel: "email",
    consent: { email: true, sms: false },
  });
  expect(put.status).toBe(200);
  await w.request("POST", "/api/events", {
    id: "carrier-PATIENT-1",
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T14:58:00Z",
    data: {
      orderId: "PATIENT-1",
      customerId: "cust-patient",
      promisedBy: "2026-01-06T18:00:00Z",
      newEta: "2026-01-08T16:00:00Z",
    },
  });
  await w.settle();
  const mails = () => w.resend.deliveries.filter((d) => JSON.stringify(d.to).includes("mary@example.com"));
  expect(mails()).toHaveLength(1);
  await w.advance(71 * HOUR);
  expect(mails()).toHaveLength(1);
  await w.advance(2 * HOUR);
  expect(mails()).toHaveLength(2);
  expect((mails()[1] as { subject: string }).subject).toBe("Mary, an update on your order PATIENT-1");
  const d = await w.prisma.disruption.findFirstOrThrow({ where: { subjectKey: "order:PATIENT-1" } });
  expect(d.followUpSentAt).not.toBeNull();
});
