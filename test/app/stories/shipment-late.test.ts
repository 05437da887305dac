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

test("story 2: the apology goes at once; the costly gift waits for a manager, who approves it, and follows in its own message", async () => {
  const order = await lateOrder();
  expect(order.disruption.kind).toBe("shipment_delay");
  const detail = await w.request("GET", `/api/disruptions/${order.disruption.id}`);
  expect(detail.body.approvals).toEqual([expect.objectContaining({ status: "pending" })]);
  expect(detail.body.grants).toEqual([
    expect.objectContaining({ status: "pending_approval", kind: "complimentary_item", value: 120 }),
  ]);
  // Before any manager acts, the apology has been accepted by the provider, on both channels,
  // and it promises nothing that is not certain yet.
  const [apology] = mailsTo(w, order.email);
  const apologyText = JSON.stringify(apology);
  for (const needle of ["Grace", order.orderId, "January 10"]) expect(apologyText).toContain(needle);
  expect(apologyText).not.toContain("handmade chocolates");
  expect(mailsTo(w, order.email)).toHaveLength(1);
  expect(smsTo(w, order.phone)).toHaveLength(1);
  expect(smsTo(w, order.phone)[0]?.body).toContain(order.orderId);
  const notified = await w.prisma.disruption.findUniqueOrThrow({ where: { id: order.disruption.id } });
  expect(notified.firstMessageAt).not.toBeNull();

  const approve = await w.request("POST", `/api/disruptions/${order.disruption.id}/approval`, {
    decision: "approve",
    note: "important order",
  });
  expect(approve.status).toBe(200);
  await w.settle();

  const gift = mailsTo(w, order.email)[1];
  const giftText = JSON.stringify(gift);
  for (const needle of ["Grace", order.orderId, "handmade chocolates", "overnight"]) expect(giftText).toContain(needle);
  expect(smsTo(w, order.phone)).toHaveLength(2);
  expect(smsTo(w, order.phone)[1]?.body).toContain("handmade chocolates");
  const purposes = await w.prisma.message.findMany({
    where: { disruptionId: order.disruption.id, channel: "email" },
    orderBy: { createdAt: "asc" },
  });
  expect(purposes.map((m) => m.purpose)).toEqual(["apology", "gesture"]);
  const settled = await w.prisma.disruption.findUniqueOrThrow({ where: { id: order.disruption.id } });
  expect(settled.status).toBe("notified");

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
  expect(mails).toHaveLength(3);
  expect(JSON.stringify(mails[2])).toContain(order.orderId);
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
  const mails = mailsTo(w, order.email);
  expect(mails).toHaveLength(2); // the apology at once, then the lesser gesture in its own message
  expect(JSON.stringify(mails[1])).toContain(grants[1]?.code as string);
  expect(JSON.stringify(mails)).not.toContain("handmade chocolates");
});

test("story 2, nobody decides in time: after the approval timeout the lesser gesture is sent", async () => {
  const order = await lateOrder();
  expect(mailsTo(w, order.email)).toHaveLength(1); // the apology did not wait
  await w.advance(3 * HOUR);
  expect(mailsTo(w, order.email)).toHaveLength(1);
  await w.advance(1 * HOUR + 1000);
  const grants = await w.prisma.gestureGrant.findMany({
    where: { disruptionId: order.disruption.id },
    orderBy: { createdAt: "asc" },
  });
  expect(grants.map((g) => g.status)).toEqual(["expired", "granted"]);
  expect(mailsTo(w, order.email)).toHaveLength(2);
  expect(JSON.stringify(mailsTo(w, order.email)[1])).toContain(grants[1]?.code as string);
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

  // Delivered after the update: the thank-you still follows, once.
  await w.request("POST", "/api/events", {
    id: "carrier-PATIENT-1-delivered",
    type: "shipment.delivered",
    occurredAt: "2026-01-08T16:30:00Z",
    data: { orderId: "PATIENT-1", deliveredAt: "2026-01-08T16:30:00Z" },
  });
  await w.settle();
  expect(await purposesSent(d.id)).toEqual(["apology", "update", "follow_up"]);
});

test("story 2, decided before the workflow waits: a manager who approves while the apology is still being sent is not missed", async () => {
  w.resend.script([{ status: 500 }]); // the apology's first try fails: it is retried in 15 s
  const order = await lateOrder();
  expect(mailsTo(w, order.email)).toHaveLength(0);
  const approve = await w.request("POST", `/api/disruptions/${order.disruption.id}/approval`, {
    decision: "approve",
  });
  expect(approve.status).toBe(200);
  await w.advance(20_000);
  const mails = mailsTo(w, order.email);
  expect(mails).toHaveLength(2);
  expect(JSON.stringify(mails[1])).toContain("handmade chocolates");
  const grants = await w.prisma.gestureGrant.findMany({ where: { disruptionId: order.disruption.id } });
  expect(grants.map((g) => g.status)).toEqual(["granted"]);
});

test("the metrics show both messages: every apology above went before its manager's decision but one, then each gesture's own message", async () => {
  const metrics = await w.request("GET", "/api/metrics");
  expect(metrics.status).toBe(200);
  const approvals = await w.prisma.approval.findMany({ include: { disruption: true } });
  const gestureSent = async (disruptionId: string) =>
    (
      await w.prisma.message.findFirst({
        where: { disruptionId, purpose: "gesture", status: "sent" },
        orderBy: { sentAt: "asc" },
      })
    )?.sentAt ?? null;
  // The stories above: approved, denied, timed out, and approved while the apology was still being retried.
  expect(approvals.map((a) => a.status).sort()).toEqual(["approved", "approved", "denied", "expired"]);
  const early = approvals.filter(
    (a) => a.decidedAt && a.disruption.firstMessageAt && a.decidedAt < a.disruption.firstMessageAt,
  );
  expect(early).toHaveLength(1);
  const waits: number[] = [];
  for (const a of approvals) {
    const sent = await gestureSent(a.disruptionId);
    expect(sent, `the gesture message of ${a.status}`).not.toBeNull();
    waits.push(Math.max(0, (sent as Date).getTime() - (a.decidedAt as Date).getTime()));
  }
  waits.sort((x, y) => x - y);
  expect(metrics.body.gestureFollowUps).toMatchObject({
    requested: 4,
    approved: 2,
    denied: 1,
    timedOut: 1,
    pending: 0,
    apologyFirst: 3,
    apologyFirstRate: 0.75,
    gestureMessages: 4,
  });
  const { p50, p95 } = (metrics.body as { gestureFollowUps: { decisionToMessageMs: { p50: number; p95: number } } })
    .gestureFollowUps.decisionToMessageMs;
  const near = (got: number, exact: number) =>
    expect(Math.abs(got - exact)).toBeLessThanOrEqual(Math.max(0, exact * 0.05));
  near(p50, waits[1] as number);
  near(p95, waits[3] as number);
});

// These move the clock days on: they come last.
/** What a disruption's customer was sent, in order. */
const purposesSent = async (disruptionId: string) =>
  (
    await w.prisma.message.findMany({
      where: { disruptionId, status: "sent" },
      orderBy: { sentAt: "asc" },
      select: { purpose: true },
    })
  ).map((m) => m.purpose);

/** A standard customer, email only, whose order is two days late. */
async function lateParcel(name: string) {
  const customerId = `cust-${name}`;
  await w.request("PUT", `/api/customers/${customerId}`, {
    name: "Ada Lovelace",
    email: `${name}@example.com`,
    locale: "en-GB",
    timeZone: "Europe/London",
    tier: "standard",
    preferredChannel: "email",
    consent: { email: true, sms: false },
  });
  const orderId = name.toUpperCase();
  const sent = await w.request("POST", "/api/events", {
    id: `carrier-${orderId}-late`,
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T14:58:00Z",
    data: { orderId, customerId, promisedBy: "2026-01-06T18:00:00Z", newEta: "2026-01-08T16:00:00Z" },
  });
  expect(sent.status).toBe(202);
  const delivered = () =>
    w.request("POST", "/api/events", {
      id: `carrier-${orderId}-delivered`,
      type: "shipment.delivered",
      occurredAt: "2026-01-05T15:00:00Z",
      data: { orderId, deliveredAt: "2026-01-05T15:00:00Z" },
    });
  return {
    orderId,
    delivered,
    disruption: () => w.prisma.disruption.findFirstOrThrow({ where: { subjectKey: `order:${orderId}` } }),
  };
}

test("delivered after the apology: the resolution sends the thank-you at once, and no update follows at the promised time", async () => {
  const parcel = await lateParcel("early-thanks");
  await w.settle();
  const d = await parcel.disruption();
  expect(await purposesSent(d.id)).toEqual(["apology"]);
  expect((await parcel.delivered()).status).toBe(202);
  await w.settle();
  expect(await purposesSent(d.id)).toEqual(["apology", "follow_up"]);
  expect((await parcel.disruption()).followUpBy).toBe("resolution");
  await w.advance(80 * HOUR);
  expect(await purposesSent(d.id)).toEqual(["apology", "follow_up"]);
});

test("delivered before the recovery promised its follow-up (its apology still being retried): the recovery sends the thank-you, once", async () => {
  w.resend.script([{ status: 500 }]); // the apology's first try fails: its step is retried in 15 s
  const parcel = await lateParcel("raced-thanks");
  await w.settle();
  const d = await parcel.disruption();
  expect(await purposesSent(d.id)).toEqual([]);
  expect((await parcel.delivered()).status).toBe(202);
  await w.settle();
  // Resolved, but nothing promised yet: the resolution's run leaves the follow-up to the recovery.
  expect((await parcel.disruption()).followUpBy).toBeNull();
  await w.advance(20_000);
  expect(await purposesSent(d.id)).toEqual(["apology", "follow_up"]);
  expect((await parcel.disruption()).followUpBy).toBe("recovery");
  await w.advance(80 * HOUR);
  expect(await purposesSent(d.id)).toEqual(["apology", "follow_up"]);
});
