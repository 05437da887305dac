import { afterAll, beforeAll, expect, test } from "vitest";
import { HOUR, putCustomer, startWorld, type World } from "./world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld("2026-01-05T15:00:00Z");
});
afterAll(() => w.stop());

const customer = (id: string, over: Record<string, unknown> = {}) => putCustomer(w, id, over);

const eta = (id: string, customerId: string, orderId: string) => ({
  id,
  type: "shipment.eta_updated",
  occurredAt: "2026-01-05T14:50:00Z",
  data: {
    orderId,
    customerId,
    promisedBy: "2026-01-06T18:00:00Z",
    newEta: "2026-01-08T12:00:00Z",
    reason: "a missed connection at the hub",
  },
});

test("story 3: a QA failure on a delivered report — the account lead signs, owns it, offers a session, and gets a task", async () => {
  await customer("northwind", {
    name: "Olivia Park",
    preferredChannel: "email",
    phone: undefined,
    consent: { email: true, sms: false },
    accountLead: { name: "Sarah Chen", email: "sarah@firm.example" },
  });
  const sent = await w.request("POST", "/api/events", {
    id: "qa-rep-77-1",
    type: "deliverable.qa_failed",
    occurredAt: "2026-01-05T14:55:00Z",
    data: {
      deliverableId: "REP-77",
      customerId: "northwind",
      title: "Q4 market sizing report",
      deliveredAt: "2026-01-04T09:00:00Z",
      issues: [{ summary: "The EMEA totals double-count Ireland", severity: "major" }],
    },
  });
  expect(sent.status).toBe(202);
  await w.settle();

  const toClient = w.resend.deliveries.filter((d) => JSON.stringify(d.to).includes("northwind@example.com"));
  expect(toClient).toHaveLength(1);
  const mail = toClient[0] as { from: string; subject: string; text: string; html: string };
  expect(mail.from).toContain("Sarah Chen");
  for (const needle of [
    "Olivia",
    "Q4 market sizing report",
    "double-count Ireland",
    "our mistake",
    "insights session",
    "Sarah Chen",
  ]) {
    expect(JSON.stringify(mail)).toContain(needle);
  }
  expect(w.twilio.deliveries.filter((d) => d.to === "+447911123456")).toHaveLength(0);
  const task = w.resend.deliveries.filter((d) => JSON.stringify(d.to).includes("sarah@firm.example"));
  expect(task).toHaveLength(1);
  expect(JSON.stringify(task[0])).toContain("call Olivia Park");

  const corrected = await w.request("POST", "/api/events", {
    id: "qa-rep-77-fixed",
    type: "deliverable.corrected",
    occurredAt: "2026-01-05T15:00:00Z",
    data: { deliverableId: "REP-77", correctedAt: "2026-01-05T15:00:00Z" },
  });
  expect(corrected.status).toBe(202);
  await w.settle();
  expect(w.resend.deliveries.filter((d) => JSON.stringify(d.to).includes("northwind@example.com"))).toHaveLength(2);
});

test("quiet hours: an SMS due at 23:00 local waits for 08:00 local; the email goes at once", async () => {
  // 15:00 UTC is 23:00 in Singapore.
  await customer("night-owl", { timeZone: "Asia/Singapore", phone: "+6591234567" });
  await w.request("POST", "/api/events", eta("eta-night-1", "night-owl", "NIGHT-1"));
  await w.settle();
  expect(w.resend.deliveries.filter((d) => JSON.stringify(d.to).includes("night-owl@"))).toHaveLength(1);
  const sms = () => w.twilio.deliveries.filter((d) => d.to === "+6591234567");
  expect(sms()).toHaveLength(0);
  const held = await w.prisma.message.findFirstOrThrow({ where: { recipient: "+6591234567" } });
  expect(held.status).toBe("deferred");
  expect(held.scheduledFor?.toISOString()).toBe("2026-01-06T00:00:00.000Z"); // 08:00 in Singapore
  await w.advance(9 * HOUR - 1000);
  expect(sms()).toHaveLength(0);
  await w.advance(2000);
  expect(sms()).toHaveLength(1);
});

test("a provider answering 429, then 500, then 200 delivers exactly once", async () => {
  await customer("retry-me", { preferredChannel: "email" });
  w.resend.script([{ status: 429, retryAfter: 2 }, 500, 200]);
  await w.request("POST", "/api/events", eta("eta-retry-1", "retry-me", "RETRY-1"));
  await w.settle();
  await w.advance(HOUR);
  const mails = w.resend.deliveries.filter((d) => JSON.stringify(d.to).includes("retry-me@"));
  expect(mails).toHaveLength(1);
  const message = await w.prisma.message.findFirstOrThrow({ where: { recipient: "retry-me@example.com" } });
  expect(message.status).toBe("sent");
  const attempts = w.resend.requests.filter((r) => JSON.stringify(r).includes("retry-me@"));
  expect(attempts.length).toBe(3);
});

test("a complaint before our first message counts against the proactive rate", async () => {
  const before = (await w.request("GET", "/api/metrics")).body as { proactiveRate: number; notified: number };
  await customer("complainer", { preferredChannel: "email" });
  w.resend.script([500]); // our first email does not get through at once: the step retries in 15 s
  await w.request("POST", "/api/events", eta("eta-complain-1", "complainer", "COMPLAIN-1"));
  await w.settle();
  const complaint = await w.request("POST", "/api/events", {
    id: "desk-complaint-1",
    type: "customer.complaint_received",
    occurredAt: "2026-01-05T15:00:00Z",
    data: { customerId: "complainer", reference: "COMPLAIN-1", channel: "phone", receivedAt: "2026-01-05T15:00:00Z" },
  });
  expect(complaint.status).toBe(202);
  await w.settle();
  await w.advance(HOUR);
  const d = await w.prisma.disruption.findFirstOrThrow({ where: { subjectKey: "order:COMPLAIN-1" } });
  expect(d.complainedFirst).toBe(true);
  const after = (await w.request("GET", "/api/metrics")).body as { proactiveRate: number; notified: number };
  expect(after.notified).toBe(before.notified + 1);
  expect(after.proactiveRate).toBeLessThan(before.proactiveRate);
});

test("a superseded disruption gets no follow-up; its successor does", async () => {
  await customer("flyer", { preferredChannel: "email" });
  const flight = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: "flight.status_changed",
    occurredAt: "2026-01-05T14:59:00Z",
    data: {
      flightNumber: "MG500",
      date: "2026-01-05",
      status,
      origin: "Paris",
      destination: "Rome",
      departsAt: "2026-01-05T18:00:00Z",
      bookings: [{ bookingRef: "BK500", customerId: "flyer" }],
      ...extra,
    },
  });
  await w.request("POST", "/api/events", flight("ops-mg500-1", "delayed", { delayMinutes: 200 }));
  await w.settle();
  await w.request("POST", "/api/events", flight("ops-mg500-2", "cancelled"));
  await w.settle();
  const [delayed, cancelled] = await w.prisma.disruption.findMany({
    where: { subjectKey: "booking:BK500" },
    orderBy: { detectedAt: "asc" },
  });
  expect([delayed?.kind, delayed?.status, cancelled?.kind]).toEqual([
    "flight_delayed",
    "superseded",
    "flight_cancelled",
  ]);
  await w.request("POST", "/api/events", flight("ops-mg500-3", "departed"));
  await w.settle();
  const followUps = await w.prisma.message.findMany({ where: { customerId: "flyer", purpose: { not: "apology" } } });
  expect(followUps.map((m) => m.disruptionId)).toEqual([cancelled?.id]);
});

test("an email address the provider refuses for good falls back to SMS, and the reason is on the timeline", async () => {
  await customer("bad-address", { preferredChannel: "email", phone: "+447911123499" });
  w.resend.failFor("bad-address@example.com", 422, "validation_error", "The email address is invalid");
  await w.request("POST", "/api/events", eta("eta-bad-1", "bad-address", "BAD-1"));
  await w.settle();
  await w.advance(12 * HOUR); // earlier tests moved the clock into London's night: the SMS waits for 08:00
  const sms = w.twilio.deliveries.filter((d) => d.to === "+447911123499");
  expect(sms).toHaveLength(1);
  expect(sms[0]?.body).toContain("BAD-1");
  const d = await w.prisma.disruption.findFirstOrThrow({
    where: { subjectKey: "order:BAD-1" },
    include: { timeline: true, messages: true },
  });
  expect(d.messages.map((m) => [m.channel, m.status]).sort()).toEqual([
    ["email", "failed"],
    ["sms", "sent"],
  ]);
  expect(d.timeline.some((t) => t.type === "delivery" && /failed for good/.test(t.summary))).toBe(true);
});

test("the per-customer gesture cap set on the policies page applies to the next recovery", async () => {
  await w.prisma.setting.upsert({
    where: { key: "recovery.gestureCapPer30Days" },
    create: { key: "recovery.gestureCapPer30Days", value: "0" },
    update: { value: "0" },
  });
  w.runtime.services.reference.changed("settings"); // written behind the dashboard's back: say so
  try {
    await customer("capped", { preferredChannel: "email" });
    await w.request("POST", "/api/events", eta("eta-capped-1", "capped", "CAPPED-1"));
    await w.settle();
    const d = await w.prisma.disruption.findFirstOrThrow({
      where: { subjectKey: "order:CAPPED-1" },
      include: { grants: true, timeline: true },
    });
    expect(d.grants).toEqual([]);
    expect(d.timeline.find((t) => t.type === "gesture")?.reason).toContain("cap 0");
  } finally {
    await w.prisma.setting.delete({ where: { key: "recovery.gestureCapPer30Days" } });
    w.runtime.services.reference.changed("settings");
  }
});

test("an email refused for good is not tried again when the SMS sent in the same step needs a retry", async () => {
  // Both go out at once (London daytime) from the one "compose and send" step; the SMS's 500 retries that step.
  const londonHour = () =>
    Number(new Date(w.clock.now()).toLocaleString("en-GB", { timeZone: "Europe/London", hour: "2-digit" }));
  while (londonHour() < 9 || londonHour() >= 19) await w.advance(HOUR);
  await customer("half-bad", { phone: "+447911123477" });
  w.resend.failFor("half-bad@example.com", 422, "validation_error", "The email address is invalid");
  w.twilio.script([500]);
  await w.request("POST", "/api/events", eta("eta-half-bad-1", "half-bad", "HALF-BAD-1"));
  await w.settle();
  await w.advance(HOUR);
  expect(w.twilio.deliveries.filter((d) => d.to === "+447911123477")).toHaveLength(1);
  const emailAttempts = w.resend.requests.filter((r) => JSON.stringify(r).includes("half-bad@"));
  expect(emailAttempts).toHaveLength(1);
  const d = await w.prisma.disruption.findFirstOrThrow({
    where: { subjectKey: "order:HALF-BAD-1" },
    include: { timeline: true, messages: true },
  });
  expect(d.messages.map((m) => [m.channel, m.status]).sort()).toEqual([
    ["email", "failed"],
    ["sms", "sent"],
  ]);
  expect(d.timeline.filter((t) => t.type === "delivery" && /failed for good/.test(t.summary))).toHaveLength(1);
});
