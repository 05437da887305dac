import { createHmac } from "node:crypto";
import { expect } from "vitest";
import { startNodeWorld as startWorld, type NodeWorld as World } from "../stories/world.ts";

/**
 * The story world with delivery reports switched on (a Resend webhook secret, a public URL for
 * Twilio's status callbacks), and providers' webhooks signed here with node:crypto, independently
 * of the code under test.
 */
export const SECRET_BYTES = Buffer.from("makegood-delivery-webhook-secret");
export const RESEND_SECRET = `whsec_${SECRET_BYTES.toString("base64")}`;
export const PUBLIC_ORIGIN = "https://makegood.example.com";
export const STATUS_URL = `${PUBLIC_ORIGIN}/webhooks/twilio/status`;

export function startDeliveryWorld(startAt = "2026-01-05T10:00:00Z") {
  return startWorld(startAt, { RESEND_WEBHOOK_SECRET: RESEND_SECRET, APP_URL: `${PUBLIC_ORIGIN}/api/inngest` });
}

let svixCounter = 0;

/** Resend's event for one email, as its webhook posts it; `at` is when it happened (the world's clock). */
export function resendEvent(w: World, type: string, emailId: string, extra: Record<string, unknown> = {}) {
  return {
    type,
    created_at: new Date(w.clock.now()).toISOString(),
    data: { email_id: emailId, from: "makegood <recovery@makegood.local>", to: ["x@example.com"], ...extra },
  };
}

/** Posts a Resend webhook signed the Svix way (`id.timestamp.body`, HMAC-SHA256). */
export async function postResend(
  w: World,
  event: unknown,
  opts: { id?: string; ageSeconds?: number; key?: Buffer; body?: string } = {},
) {
  const id = opts.id ?? `msg_${++svixCounter}_${Date.now().toString(36)}`;
  const body = JSON.stringify(event);
  const ts = String(Math.floor(Date.now() / 1000) - (opts.ageSeconds ?? 0));
  const mac = createHmac("sha256", opts.key ?? SECRET_BYTES)
    .update(`${id}.${ts}.${body}`)
    .digest("base64");
  const response = await w.runtime.app.request("/webhooks/resend", {
    method: "POST",
    headers: { "content-type": "application/json", "svix-id": id, "svix-timestamp": ts, "svix-signature": `v1,${mac}` },
    body: opts.body ?? body,
  });
  return { status: response.status, id, body: (await response.json()) as Record<string, unknown> };
}

/** Twilio's scheme: HMAC-SHA1 of the URL it called + the sorted form fields. */
export function twilioSign(params: Record<string, string>, token: string, url = STATUS_URL): string {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join("");
  return createHmac("sha1", token).update(data).digest("base64");
}

/** Posts a Twilio status callback for `sid`, signed for the public status URL (as Twilio calls it). */
export async function postTwilioStatus(
  w: World,
  sid: string,
  status: string,
  opts: { errorCode?: string; signature?: string | null } = {},
) {
  const params: Record<string, string> = {
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: w.twilio.accountSid,
    MessageStatus: status,
    SmsStatus: status,
    From: "+15005550006",
    ApiVersion: "2010-04-01",
    ...(opts.errorCode ? { ErrorCode: opts.errorCode } : {}),
  };
  const signature = opts.signature === undefined ? twilioSign(params, w.twilio.authToken) : opts.signature;
  const response = await w.runtime.app.request("/webhooks/twilio/status", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(signature === null ? {} : { "x-twilio-signature": signature }),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status };
}

export async function putCustomer(w: World, id: string, over: Record<string, unknown> = {}) {
  const put = await w.request("PUT", `/api/customers/${id}`, {
    name: "Mary Jackson",
    email: `${id}@example.com`,
    phone: "+447911123700",
    locale: "en-GB",
    timeZone: "Europe/London",
    tier: "standard",
    preferredChannel: "email",
    consent: { email: true, sms: true },
    ...over,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
}

/** A parcel two days late: one disruption, whose apology goes out at once. */
export async function lateParcel(w: World, orderId: string, customerId: string) {
  const sent = await w.request("POST", "/api/events", {
    id: `eta-${orderId}`,
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T09:55:00Z",
    data: {
      orderId,
      customerId,
      promisedBy: "2026-01-06T18:00:00Z",
      newEta: "2026-01-08T12:00:00Z",
      reason: "a missed connection at the hub",
    },
  });
  expect(sent.status).toBe(202);
  await w.settle();
  return w.prisma.disruption.findFirstOrThrow({ where: { subjectKey: `order:${orderId}` } });
}

/** The one message of a disruption's apology on a channel. */
export const apologyOn = (w: World, disruptionId: string, channel: "email" | "sms") =>
  w.prisma.message.findFirstOrThrow({ where: { disruptionId, channel, purpose: "apology" } });

export const emailsTo = (w: World, address: string) => w.resend.deliveries.filter((d) => d.to.includes(address));
export const textsTo = (w: World, phone: string) => w.twilio.deliveries.filter((d) => d.to === phone);
