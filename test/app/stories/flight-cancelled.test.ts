import { afterAll, beforeAll, expect, test } from "vitest";
import { startWorld, type World } from "./world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld("2026-01-05T10:00:00Z");
  for (const [id, name, email, phone, locale, timeZone] of [
    ["cust-ada", "Ada Lovelace", "ada@example.com", "+447911123456", "en-GB", "Europe/London"],
    ["cust-camille", "Camille Martin", "camille@example.fr", "+33612345678", "fr-FR", "Europe/Paris"],
  ] as const) {
    const put = await w.request("PUT", `/api/customers/${id}`, {
      name,
      email,
      phone,
      locale,
      timeZone,
      tier: "standard",
      preferredChannel: "both",
      consent: { email: true, sms: true },
    });
    expect(put.status).toBe(200);
  }
});
afterAll(() => w.stop());

const cancellation = {
  id: "flightops-MG304-2026-01-05-cancel",
  type: "flight.status_changed",
  occurredAt: "2026-01-05T09:55:00Z",
  data: {
    flightNumber: "MG304",
    date: "2026-01-05",
    status: "cancelled",
    reason: "a crew shortage",
    origin: "London Gatwick",
    destination: "Lyon",
    departsAt: "2026-01-05T14:15:00Z",
    bookings: [
      {
        bookingRef: "QX7PLM",
        customerId: "cust-ada",
        rebookedFlight: { flightNumber: "MG306", departsAt: "2026-01-05T19:40:00Z" },
      },
      {
        bookingRef: "RZ4KTB",
        customerId: "cust-camille",
        rebookedFlight: { flightNumber: "MG306", departsAt: "2026-01-05T19:40:00Z" },
      },
    ],
  },
};

test("story 1: a cancellation sent three times reaches every passenger once, by email and SMS, with a voucher code", async () => {
  const answers = await Promise.all([1, 2, 3].map(() => w.request("POST", "/api/events", cancellation)));
  expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
  await w.settle();

  const disruptions = await w.prisma.disruption.findMany({ include: { grants: true } });
  expect(disruptions.map((d) => d.kind).sort()).toEqual(["flight_cancelled", "flight_cancelled"]);
  expect(w.resend.deliveries).toHaveLength(2);
  expect(w.twilio.deliveries).toHaveLength(2);

  for (const [customerId, firstName, email, phone] of [
    ["cust-ada", "Ada", "ada@example.com", "+447911123456"],
    ["cust-camille", "Camille", "camille@example.fr", "+33612345678"],
  ] as const) {
    const d = disruptions.find((x) => x.customerId === customerId);
    const code = d?.grants[0]?.code as string;
    expect(code).toMatch(/^MG-/);
    expect(Number(d?.grants[0]?.value)).toBe(50);
    const mail = w.resend.deliveries.find((m) => JSON.stringify(m).includes(email));
    const mailText = JSON.stringify(mail);
    for (const needle of [firstName, "MG304", "MG306", code]) expect(mailText).toContain(needle);
    const sms = w.twilio.deliveries.find((m) => JSON.stringify(m).includes(phone));
    const smsText = JSON.stringify(sms);
    for (const needle of [firstName, "MG304", "MG306", code]) expect(smsText).toContain(needle);
    expect(d?.firstMessageAt).not.toBeNull();
  }
  // Within seconds: the first message went out in the same virtual instant the signal was handled.
  const timeline = await w.prisma.timelineEntry.findMany({ where: { type: "message" } });
  expect(timeline.length).toBeGreaterThanOrEqual(4);
});

test("the same cancellation under a new event id opens nothing new and sends nothing more", async () => {
  const again = await w.request("POST", "/api/events", {
    ...cancellation,
    id: "flightops-MG304-2026-01-05-cancel-resent",
  });
  expect(again.status).toBe(202);
  await w.settle();
  expect(await w.prisma.disruption.count()).toBe(2);
  expect(w.resend.deliveries).toHaveLength(2);
  expect(w.twilio.deliveries).toHaveLength(2);
});
