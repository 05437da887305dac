import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { NodeWorld as World } from "../stories/world.ts";
import {
  apologyOn,
  emailsTo,
  lateParcel,
  postResend,
  postTwilioStatus,
  putCustomer,
  resendEvent,
  startDeliveryWorld,
  textsTo,
} from "./delivery-world.ts";

// A message the provider accepted but could not deliver falls back to the other channel, once and
// never around STOP; a spam complaint stops email to that customer. 10:00 UTC is daytime in London.
let w: World;
beforeAll(async () => {
  w = await startDeliveryWorld();
});
afterAll(() => w.stop());

const hardBounce = (emailId: string) =>
  resendEvent(w, "email.bounced", emailId, {
    bounce: { type: "Permanent", subType: "General", message: "550 5.1.1 user unknown" },
  });
const timeline = (disruptionId: string) =>
  w.prisma.timelineEntry.findMany({ where: { disruptionId }, orderBy: { at: "asc" } });

describe("a hard bounce", () => {
  test("sends the apology by SMS instead, once, however often the bounce is reported", async () => {
    const phone = "+447911123801";
    await putCustomer(w, "fb-a", { phone });
    const d = await lateParcel(w, "FB-1", "fb-a");
    expect(textsTo(w, phone)).toHaveLength(0); // email preferred: no SMS so far
    const email = await apologyOn(w, d.id, "email");

    const bounce = await postResend(w, hardBounce(email.providerId as string));
    expect(bounce.status).toBe(200);
    await w.settle();
    expect(textsTo(w, phone)).toHaveLength(1);
    expect(textsTo(w, phone)[0]?.body).toContain("FB-1");

    // Resend retries the same delivery; a second bounce event for the same email arrives too.
    await postResend(w, hardBounce(email.providerId as string), { id: bounce.id });
    await postResend(w, hardBounce(email.providerId as string));
    await w.settle();
    expect(textsTo(w, phone)).toHaveLength(1);

    const sms = await apologyOn(w, d.id, "sms");
    expect(sms).toMatchObject({ status: "sent", fallbackFor: email.id });
    expect((await w.prisma.message.findUniqueOrThrow({ where: { id: email.id } })).deliveryStatus).toBe("bounced");
    const lines = (await timeline(d.id)).map((t) => t.summary);
    expect(lines).toContain("Email apology to fb-a@example.com bounced (Permanent)");
    expect(lines.filter((l) => l === "Falling back to sms for the apology")).toHaveLength(1);
  });

  test("does not text a customer who said STOP", async () => {
    const phone = "+447911123802";
    await putCustomer(w, "fb-stop", { phone });
    await w.prisma.customer.update({ where: { id: "fb-stop" }, data: { smsOptedOut: true } });
    const d = await lateParcel(w, "FB-2", "fb-stop");
    const email = await apologyOn(w, d.id, "email");
    expect((await postResend(w, hardBounce(email.providerId as string))).status).toBe(200);
    await w.settle();
    expect(textsTo(w, phone)).toHaveLength(0);
    expect(await w.prisma.message.count({ where: { disruptionId: d.id, channel: "sms" } })).toBe(0);
    expect(await timeline(d.id)).toContainEqual(
      expect.objectContaining({ summary: "No sms instead of the failed email", reason: "skipped: opted out" }),
    );
  });

  test("a soft (transient) bounce is recorded but sends nothing else", async () => {
    const phone = "+447911123803";
    await putCustomer(w, "fb-soft", { phone });
    const d = await lateParcel(w, "FB-3", "fb-soft");
    const email = await apologyOn(w, d.id, "email");
    const soft = resendEvent(w, "email.bounced", email.providerId as string, {
      bounce: { type: "Transient", subType: "MailboxFull", message: "mailbox full" },
    });
    expect((await postResend(w, soft)).status).toBe(200);
    await w.settle();
    expect(textsTo(w, phone)).toHaveLength(0);
  });
});

describe("a permanent SMS failure", () => {
  test("undelivered (30006) sends the apology by email instead, once", async () => {
    const phone = "+447911123804";
    await putCustomer(w, "fb-sms", { phone, preferredChannel: "sms" });
    const d = await lateParcel(w, "FB-4", "fb-sms");
    expect(emailsTo(w, "fb-sms@example.com")).toHaveLength(0);
    const sms = await apologyOn(w, d.id, "sms");

    expect((await postTwilioStatus(w, sms.providerId as string, "sent")).status).toBe(204);
    expect((await postTwilioStatus(w, sms.providerId as string, "undelivered", { errorCode: "30006" })).status).toBe(
      204,
    );
    await w.settle();
    await postTwilioStatus(w, sms.providerId as string, "undelivered", { errorCode: "30006" }); // Twilio retried
    await w.settle();
    expect(emailsTo(w, "fb-sms@example.com")).toHaveLength(1);
    expect(await apologyOn(w, d.id, "email")).toMatchObject({ status: "sent", fallbackFor: sms.id });
    expect(await w.prisma.message.findUniqueOrThrow({ where: { id: sms.id } })).toMatchObject({
      deliveryStatus: "undelivered",
    });
  });

  test("a failure because the number opted out (21610) is STOP: no email instead, and SMS stops", async () => {
    const phone = "+447911123805";
    await putCustomer(w, "fb-21610", { phone, preferredChannel: "sms" });
    const d = await lateParcel(w, "FB-5", "fb-21610");
    const sms = await apologyOn(w, d.id, "sms");
    expect((await postTwilioStatus(w, sms.providerId as string, "failed", { errorCode: "21610" })).status).toBe(204);
    await w.settle();
    expect(emailsTo(w, "fb-21610@example.com")).toHaveLength(0);
    expect((await w.prisma.customer.findUniqueOrThrow({ where: { id: "fb-21610" } })).smsOptedOut).toBe(true);
  });
});

describe("a spam complaint", () => {
  test("suppresses email for that customer: the next recovery goes by SMS only", async () => {
    const phone = "+447911123806";
    const address = "fb-spam@example.com";
    await putCustomer(w, "fb-spam", { phone, preferredChannel: "both" });
    const first = await lateParcel(w, "FB-6", "fb-spam");
    expect(emailsTo(w, address)).toHaveLength(1);
    const email = await apologyOn(w, first.id, "email");
    await postResend(w, resendEvent(w, "email.delivered", email.providerId as string));
    expect((await postResend(w, resendEvent(w, "email.complained", email.providerId as string))).status).toBe(200);

    const customer = await w.request("GET", "/api/customers/fb-spam");
    expect(customer.body).toMatchObject({ emailSuppressed: true });
    expect(await timeline(first.id)).toContainEqual(
      expect.objectContaining({ type: "consent", summary: "Email apology: the customer marked it as spam" }),
    );

    const textsBefore = textsTo(w, phone).length;
    const next = await lateParcel(w, "FB-7", "fb-spam");
    expect(emailsTo(w, address)).toHaveLength(1);
    expect(textsTo(w, phone)).toHaveLength(textsBefore + 1);
    expect(await timeline(next.id)).toContainEqual(
      expect.objectContaining({ summary: "No email apology", reason: "skipped: spam complaint" }),
    );
  });
});

test("GET /api/metrics counts failures after acceptance and the fallbacks they caused", async () => {
  const metrics = await w.request("GET", "/api/metrics");
  const delivery = metrics.body.delivery as {
    channels: Array<{ channel: string; provider: string; failed: number }>;
    fallbacks: number;
    complaints: number;
  };
  expect(delivery.fallbacks).toBe(2);
  expect(delivery.complaints).toBe(1);
  // Three emails bounced (one softly, which is not acted on); two SMS were not delivered.
  expect(delivery.channels.find((c) => c.channel === "email" && c.provider === "resend")?.failed).toBe(3);
  expect(delivery.channels.find((c) => c.channel === "sms" && c.provider === "twilio")?.failed).toBe(2);
});
