import type { PrismaClient } from "../db/generated/node/client.ts";
import { isUniqueViolation } from "../http/database-errors.ts";
import { type DeliveryReport, statusesBelow } from "../messaging/delivery-status.ts";
import { TWILIO_OPTED_OUT } from "../messaging/errors.ts";
import { addTimeline } from "./timeline.ts";

/** Sent when a message the provider accepted will never arrive; `functions/fall-back-after-delivery-failure` handles it. */
export const MESSAGE_UNDELIVERABLE = "makegood/message.undeliverable";

export type ReportOutcome =
  /** Recorded; `undeliverable` names the message to fall back from, when there is one to fall back from. */
  | { applied: true; messageId: string; undeliverable: string | null }
  /** The same delivery again (same webhook id, or the same Twilio status for the same message). */
  | { replay: true; undeliverable: string | null }
  /** No message of ours has that provider id (another app on the account, or a task email). */
  | { unknown: true };

const label = (m: { channel: string; purpose: string }) =>
  `${m.channel === "email" ? "Email" : "SMS"} ${m.purpose.replace("_", "-")}`;

/**
 * Record one provider delivery report against its message, once per `deliveryId`.
 *
 * No interactive transaction (D1 has none): the message is read first, then one batch
 * writes everything, led by a guard — inserting the delivery id into `WebhookDelivery`
 * fails on a replay (or when a concurrent copy won), and the whole batch rolls back.
 * The message's `deliveryStatus` only moves forward (reports arrive out of order); a
 * complaint suppresses email for the customer; a Twilio opt-out code (21610) is STOP.
 */
export async function applyDeliveryReport(
  prisma: PrismaClient,
  deliveryId: string,
  report: DeliveryReport,
  now: Date,
): Promise<ReportOutcome> {
  const message = await prisma.message.findFirst({
    where: { providerId: report.providerId, provider: report.provider },
    select: {
      id: true,
      disruptionId: true,
      customerId: true,
      channel: true,
      purpose: true,
      recipient: true,
      deliveryStatus: true,
    },
  });
  if (!message) return { unknown: true };
  const at = report.at ?? now;
  const undeliverable = report.permanentFailure && !isStop(report) ? message.id : null;
  const what = label(message);
  const code = report.errorCode ? ` (${report.errorCode})` : "";
  const line: Record<string, string | null> = {
    queued: null,
    sent: null,
    delivery_delayed: `${what} to ${message.recipient}: delivery delayed`,
    delivered: `${what} delivered to ${message.recipient}`,
    bounced: `${what} to ${message.recipient} bounced${code}`,
    undelivered: `${what} to ${message.recipient} not delivered${code}`,
    failed: `${what} to ${message.recipient} failed${code}`,
    complained: `${what}: the customer marked it as spam`,
  };
  const summary = line[report.status] ?? null;
  const why = [
    `reported by ${report.provider}`,
    report.detail,
    undeliverable ? "the other channel is tried" : null,
    report.status === "complained" ? "no more email to this customer" : null,
    isStop(report) ? "the number opted out (STOP): no other channel is tried" : null,
  ]
    .filter(Boolean)
    .join("; ");

  try {
    await prisma.$transaction([
      prisma.webhookDelivery.create({ data: { id: deliveryId, source: report.provider, receivedAt: now } }),
      prisma.deliveryEvent.create({
        data: {
          id: `dev_${crypto.randomUUID()}`,
          messageId: message.id,
          provider: report.provider,
          providerId: report.providerId,
          status: report.status,
          at,
          receivedAt: now,
          errorCode: report.errorCode,
          detail: report.detail,
        },
      }),
      prisma.message.updateMany({
        where: {
          id: message.id,
          OR: [{ deliveryStatus: null }, { deliveryStatus: { in: statusesBelow(report.status) } }],
        },
        data: { deliveryStatus: report.status },
      }),
      ...(report.status === "delivered"
        ? [prisma.message.updateMany({ where: { id: message.id, deliveredAt: null }, data: { deliveredAt: at } })]
        : []),
      ...(report.status === "complained"
        ? [
            prisma.customer.updateMany({
              where: { id: message.customerId, emailSuppressedAt: null },
              data: { emailSuppressedAt: now },
            }),
          ]
        : []),
      ...(isStop(report)
        ? [prisma.customer.updateMany({ where: { id: message.customerId }, data: { smsOptedOut: true } })]
        : []),
      ...(summary
        ? [
            addTimeline(
              prisma,
              message.disruptionId,
              at,
              report.status === "complained" ? "consent" : "delivery",
              summary,
              why,
              { messageId: message.id, status: report.status, errorCode: report.errorCode },
            ),
          ]
        : []),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A replay: nothing is written again. The fall-back event is sent again (it dedupes on its id,
    // and the fall-back itself happens once), in case the first delivery's send was cut short after
    // its batch committed.
    return { replay: true, undeliverable };
  }
  return { applied: true, messageId: message.id, undeliverable };
}

/** Twilio reports an SMS to a number that opted out with 21610: that is STOP, never routed around. */
function isStop(report: DeliveryReport): boolean {
  return report.provider === "twilio" && report.errorCode === TWILIO_OPTED_OUT;
}
