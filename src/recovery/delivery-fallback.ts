import { sendWithFallback } from "../messaging/fallback.ts";
import type { Channel } from "../messaging/types.ts";
import { reachOf } from "./channels.ts";
import type { ComposedMessage } from "./compose-and-send.ts";
import { composeMessages, loadDisruption, type Purpose, sendMessage } from "./messages.ts";
import type { RecoveryServices } from "./services.ts";
import { addTimeline } from "./timeline.ts";

/**
 * A message the provider accepted turned out undeliverable (a hard bounce, an
 * undelivered or failed SMS): the same purpose goes out on the other channel,
 * as when a send is refused at once — unless the customer said STOP, cannot be
 * reached there, or already gets it there. Once per failed message, however
 * often this runs: the fall-back message is composed under the recovery's own
 * key (`<run>:<purpose>:<channel>`) and marked `fallbackFor` behind a guard
 * before it is sent. Returns the fall-back messages (an SMS in quiet hours has
 * `outcome` null and waits; the caller sends it later).
 */
export async function fallBackAfterDeliveryFailure(
  svc: RecoveryServices,
  failedId: string,
): Promise<ComposedMessage[]> {
  const { prisma } = svc;
  const failed = await prisma.message.findUnique({ where: { id: failedId } });
  if (!failed) return [];
  const d = await loadDisruption(svc, failed.disruptionId);
  const other: Channel = failed.channel === "email" ? "sms" : "email";
  const purpose = failed.purpose as Purpose;
  const now = svc.now();
  const noFallback = (why: string) =>
    addTimeline(prisma, d.id, now, "delivery", `No ${other} instead of the failed ${failed.channel}`, why, {
      messageId: failed.id,
    }).then(() => []);

  const there = await prisma.message.findFirst({
    where: { disruptionId: d.id, purpose, channel: other, status: { not: "skipped" } },
  });
  if (there && there.fallbackFor !== failed.id) {
    // Already on the other channel: sent by the recovery itself, or the message this one replaced.
    return noFallback(
      failed.fallbackFor === there.id
        ? `this was the fall-back for the ${other}, which failed too`
        : `the customer already gets the ${purpose.replace("_", "-")} by ${other}`,
    );
  }
  if (!there) {
    // STOP is the customer's word on every channel: an SMS refused for it is never routed around.
    const stopped = failed.channel === "sms" && d.customer.smsOptedOut;
    const choice = stopped
      ? ({ skip: "opted_out" } as const)
      : sendWithFallback(
          {
            channel: failed.channel as Channel,
            error: { kind: "permanent", provider: failed.provider === "twilio" ? "twilio" : "resend", code: "" },
          },
          reachOf(d.customer, other),
        );
    if (!("send" in choice)) return noFallback(`skipped: ${choice.skip.replace("_", " ")}`);
  }

  const runId = recoveryRunOf(failed.idempotencyKey, purpose, failed.channel) ?? `fallback-${failed.id}`;
  const planned = await composeMessages(svc, d, purpose, runId, other);
  for (const message of planned) {
    try {
      await prisma.$transaction([
        prisma.message.update({ where: { id: message.id, fallbackFor: null }, data: { fallbackFor: failed.id } }),
        addTimeline(
          prisma,
          d.id,
          now,
          "delivery",
          `Falling back to ${other} for the ${purpose.replace("_", "-")}`,
          `the ${failed.channel} to ${failed.recipient} will not arrive (${failed.deliveryStatus ?? "failed"})`,
          { messageId: message.id, fallbackFor: failed.id },
        ),
      ]);
    } catch (error) {
      // P2025: already marked by an earlier attempt of this step.
      if ((error as { code?: string }).code !== "P2025") throw error;
    }
  }
  const out: ComposedMessage[] = [];
  for (const message of planned) {
    const due = Date.parse(message.sendAt) <= svc.now().getTime();
    out.push({ ...message, outcome: due ? await sendMessage(svc, message.id) : null });
  }
  return out;
}

/** The recovery run a message was composed in (`<run>:<purpose>:<channel>`), so its fall-back shares its keys. */
function recoveryRunOf(idempotencyKey: string, purpose: string, channel: string): string | null {
  const suffix = `:${purpose}:${channel}`;
  return idempotencyKey.endsWith(suffix) ? idempotencyKey.slice(0, -suffix.length) : null;
}

/** Mark messages as sent in place of `failedId` (the recovery's own fall-back after a refused send), for the metrics. */
export async function markFallback(svc: RecoveryServices, messages: Array<{ id: string }>, failedId: string) {
  if (!messages.length) return;
  await svc.prisma.message.updateMany({
    where: { id: { in: messages.map((m) => m.id) }, fallbackFor: null },
    data: { fallbackFor: failedId },
  });
}
