import type { Customer, Disruption, Message } from "../db/generated/node/client.ts";
import { describeMismatch, localeMismatches } from "../locale/checker.ts";
import { LANGUAGE_NAMES, languageOf } from "../locale/languages.ts";
import { isOptOut, isProviderError, toStepError } from "../messaging/errors.ts";
import { channelChoice } from "../messaging/fallback.ts";
import type { Channel } from "../messaging/types.ts";
import { defaultTemplateSet } from "../templates/defaults.ts";
import { renderMessage } from "../templates/render.ts";
import { accountLeadTask } from "./account-lead-task.ts";
import { planChannels, reachOf } from "./channels.ts";
import { signerFor } from "./contacts.ts";
import { disruptionVariables } from "./disruption-variables.ts";
import { templateKindFor } from "./message-variables.ts";
import { nextSendTime } from "./quiet-hours.ts";
import type { RecoveryServices } from "./services.ts";
import { addTimeline } from "./timeline.ts";

/** apology: at once; gesture: the gesture a manager approved (or the lesser one), after the apology; follow_up / update: later. */
export type Purpose = "apology" | "gesture" | "follow_up" | "update";

const ERASED_LINE = "No messages: the customer's data was erased";

export interface PlannedMessage {
  id: string;
  channel: Channel;
  /** ISO instant; later than now when SMS quiet hours defer it. */
  sendAt: string;
}

/** The published template version for kind × channel × locale, else the bundled default (version 1). */
/** The template a message of `kind` uses: the published version in the customer's language, else the bundled default. */
export async function templateFor(
  svc: Pick<RecoveryServices, "reference">,
  kind: ReturnType<typeof templateKindFor>,
  channel: Channel,
  locale: string,
) {
  const base = locale.slice(0, 2).toLowerCase();
  const published = await svc.reference.publishedTemplate(kind, channel, [locale, base]);
  if (published) return { ...published, key: `${kind}.${channel}.${published.locale}` };
  const set = defaultTemplateSet(kind, locale);
  return {
    key: `${kind}.${channel}.${base}`,
    version: 1,
    subject: set.email.subject,
    html: set.email.html,
    text: set.email.text,
    body: set.sms.body,
  };
}

export type LoadedDisruption = Awaited<ReturnType<typeof loadDisruption>>;
export const loadDisruption = (svc: RecoveryServices, disruptionId: string) =>
  svc.prisma.disruption.findUniqueOrThrow({ where: { id: disruptionId }, include: { customer: true, grants: true } });

/**
 * Render the messages of one purpose for every usable channel and store them
 * (queued, or deferred to the SMS window). Idempotent on run × purpose × channel.
 */
export async function composeMessages(
  svc: RecoveryServices,
  d: LoadedDisruption,
  purpose: Purpose,
  runId: string,
  /** Compose on this channel only: the fallback after the other one failed for good. */
  only?: Channel,
  /** Filled with each planned message's row as stored, for a caller that sends it next. */
  rows?: Map<string, Message>,
): Promise<PlannedMessage[]> {
  const { prisma } = svc;
  const now = svc.now();
  const disruptionId = d.id;
  const kind = templateKindFor(d.kind, purpose);
  const optOut =
    svc.settings.optOutText[d.customer.locale.slice(0, 2)] ?? svc.settings.optOutText.en ?? "Reply STOP to opt out";
  const variables = await disruptionVariables(svc.reference, d, kind, optOut, now);
  const planned: PlannedMessage[] = [];
  // Erased (DELETE /api/customers/{id}) while the recovery ran: nobody left to write to, nothing to compose.
  if (d.customer.erasedAt) {
    const said = await prisma.timelineEntry.count({ where: { disruptionId, type: "message", summary: ERASED_LINE } });
    if (!said)
      await addTimeline(prisma, disruptionId, now, "message", ERASED_LINE, "skipped: the customer's data was erased");
    return planned;
  }
  const plan = only ? [{ channel: only, choice: channelChoice(reachOf(d.customer, only)) }] : planChannels(d.customer);
  const keyOf = (channel: Channel) => `${runId}:${purpose}:${channel}`;
  // What an earlier try of this step composed already, in one read.
  const composed = new Map(
    (await prisma.message.findMany({ where: { idempotencyKey: { in: plan.map((p) => keyOf(p.channel)) } } })).map(
      (m) => [m.idempotencyKey, m],
    ),
  );
  for (const { channel, choice } of plan) {
    const idempotencyKey = keyOf(channel);
    const existing = composed.get(idempotencyKey);
    if (existing) {
      if (existing.status !== "skipped") {
        // Not held for quiet hours: due now (createdAt is the database's clock, not svc.now()).
        planned.push({ id: existing.id, channel, sendAt: (existing.scheduledFor ?? now).toISOString() });
        rows?.set(existing.id, existing);
      }
      continue;
    }
    if (!("send" in choice)) {
      await addTimeline(
        prisma,
        disruptionId,
        now,
        "message",
        `No ${channel} ${purpose.replace("_", "-")}`,
        `skipped: ${choice.skip.replace("_", " ")}`,
      );
      continue;
    }
    const template = await templateFor(svc, kind, channel, d.customer.locale);
    const ctx = { variables, locale: d.customer.locale, timeZone: d.customer.timeZone, kind };
    const rendered =
      channel === "email"
        ? {
            ...renderMessage({
              channel,
              subject: template.subject ?? "",
              html: template.html ?? "",
              text: template.text ?? undefined,
              ...ctx,
            }),
            body: null,
          }
        : {
            subject: null,
            html: null,
            text: null,
            body: renderMessage({ channel, body: template.body ?? "", ...ctx }).body,
          };
    // The locale check: a message that reads partly as another language is flagged, never held back.
    const localeWarning = localeWarningFor(rendered, d.customer.locale);
    const sendAt = channel === "sms" ? nextSendTime(now, d.customer.timeZone) : now;
    const deferred = sendAt.getTime() > now.getTime();
    const id = `msg_${crypto.randomUUID()}`;
    const row = await prisma.message.create({
      data: {
        id,
        disruptionId,
        customerId: d.customerId,
        purpose,
        channel,
        recipient: channel === "email" ? (d.customer.email as string) : (d.customer.phone as string),
        ...rendered,
        templateKey: template.key,
        templateVersion: template.version,
        localeWarning,
        status: deferred ? "deferred" : "queued",
        idempotencyKey,
        scheduledFor: deferred ? sendAt : null,
      },
    });
    if (localeWarning) {
      svc.logger.warn("message does not read as one language; sending it all the same", {
        disruptionId,
        messageId: id,
        purpose,
        channel,
        locale: d.customer.locale,
        template: template.key,
        localeWarning,
      });
      await addTimeline(
        prisma,
        disruptionId,
        now,
        "message",
        `${channel === "email" ? "Email" : "SMS"} ${purpose.replace("_", "-")} not all in ${LANGUAGE_NAMES[languageOf(d.customer.locale)]}`,
        `${localeWarning}; sent all the same (a missing catalog translation or template text in another language)`,
        { messageId: id },
      );
    }
    if (deferred) {
      await addTimeline(
        prisma,
        disruptionId,
        now,
        "message",
        `SMS held until ${sendAt.toISOString()}`,
        `quiet hours in ${d.customer.timeZone} (08:00–21:00 local)`,
      );
    }
    planned.push({ id, channel, sendAt: sendAt.toISOString() });
    rows?.set(id, row);
  }
  return planned;
}

/** What the locale checker finds in a rendered message, as one line; null when it reads as one language. */
export function localeWarningFor(
  rendered: { subject: string | null; text: string | null; body: string | null },
  locale: string,
): string | null {
  const text = [rendered.subject, rendered.text, rendered.body].filter(Boolean).join("\n");
  const found = localeMismatches(text, locale);
  return found.length ? found.map((m) => describeMismatch(m, LANGUAGE_NAMES)).join("; ") : null;
}

export type SendOutcome =
  | { sent: true; providerId: string }
  | { sent: false; permanent: true; reason: string; optedOut: boolean };

/** Send one stored message through its channel. A provider's permanent refusal is an outcome; anything else retries. */
export async function sendMessage(svc: RecoveryServices, messageId: string): Promise<SendOutcome> {
  const { prisma } = svc;
  const m = await prisma.message.findUniqueOrThrow({
    where: { id: messageId },
    include: { disruption: { include: { customer: true } } },
  });
  return sendLoaded(svc, m);
}

/** sendMessage for a message row whose disruption and customer were just loaded (the compose step's). */
export async function sendLoaded(
  svc: RecoveryServices,
  m: Message & { disruption: Disruption & { customer: Customer } },
): Promise<SendOutcome> {
  const { prisma } = svc;
  if (m.status === "sent" && m.providerId) return { sent: true, providerId: m.providerId };
  const customer = m.disruption.customer;
  // Refused for good already (a retried step that also sent another message): that outcome again, no new attempt.
  if (m.status === "failed")
    return {
      sent: false,
      permanent: true,
      reason: m.error ?? "failed",
      optedOut: m.channel === "sms" && customer.smsOptedOut,
    };
  // Erased after it was composed: the message is not sent (its recipient is gone), and no fallback is tried.
  if (customer.erasedAt) {
    if (m.status !== "skipped")
      await prisma.message.update({ where: { id: m.id }, data: { status: "skipped", error: "erased" } });
    return { sent: false, permanent: true, reason: "erased", optedOut: true };
  }
  // STOP is honoured at once: an SMS composed before it (e.g. held for quiet hours) is dropped, not sent.
  if (m.channel === "sms" && customer.smsOptedOut) {
    if (m.status !== "skipped") {
      await prisma.$transaction([
        prisma.message.update({ where: { id: m.id }, data: { status: "skipped", error: "opted_out" } }),
        addTimeline(
          prisma,
          m.disruptionId,
          svc.now(),
          "message",
          `No sms ${m.purpose.replace("_", "-")}`,
          "skipped: opted out (STOP received after it was composed)",
          { messageId: m.id },
        ),
      ]);
    }
    return { sent: false, permanent: true, reason: "opted_out", optedOut: true };
  }
  // The person who signs the message sends it (a client's account lead, or the kind's named contact).
  const signer = await signerFor(svc.reference, m.disruption.kind, customer);
  const fromName = signer.name;
  try {
    const result =
      m.channel === "email"
        ? await svc.email.send(
            {
              to: m.recipient,
              from: fromName
                ? `${fromName} <${svc.settings.emailFrom.replace(/^.*<|>$/g, "")}>`
                : svc.settings.emailFrom,
              replyTo: signer.email,
              subject: m.subject ?? "",
              html: m.html ?? "",
              text: m.text ?? "",
              tags: { purpose: m.purpose, kind: m.disruption.kind },
            },
            { idempotencyKey: m.idempotencyKey },
          )
        : await svc.sms.send({ to: m.recipient, body: m.body ?? "" }, { idempotencyKey: m.idempotencyKey });
    const now = svc.now();
    // One batch: the message, the disruption's first-message / follow-up mark (only if still unset), the
    // timeline. All raw SQL: a batch that mixes model queries with raw ones is compiled anew by
    // Prisma's query compiler every time (~0.5 ms; two such batches per passenger of a wave).
    await prisma.$transaction([
      prisma.$executeRaw`
        UPDATE "Message" SET "status" = 'sent', "provider" = ${result.provider}, "providerId" = ${result.providerId},
          "sentAt" = ${now}, "error" = NULL
        WHERE "id" = ${m.id}`,
      // Decided in the statement, not from the row read earlier: a resolution may have landed since.
      ...(m.purpose === "apology" && !m.disruption.firstMessageAt
        ? [
            prisma.$executeRaw`
              UPDATE "Disruption" SET "firstMessageAt" = ${now}, "updatedAt" = ${new Date()},
                "status" = CASE WHEN "status" = 'open' THEN 'notified' ELSE "status" END
              WHERE "id" = ${m.disruptionId} AND "firstMessageAt" IS NULL`,
          ]
        : []),
      ...((m.purpose === "follow_up" || m.purpose === "update") && !m.disruption.followUpSentAt
        ? [
            prisma.$executeRaw`
              UPDATE "Disruption" SET "followUpSentAt" = ${now}, "updatedAt" = ${new Date()}
              WHERE "id" = ${m.disruptionId} AND "followUpSentAt" IS NULL`,
          ]
        : []),
      addTimeline(
        prisma,
        m.disruptionId,
        now,
        "message",
        `${m.channel === "email" ? "Email" : "SMS"} ${m.purpose.replace("_", "-")} sent to ${m.recipient}`,
        `accepted by ${result.provider} (${result.providerId})`,
        { messageId: m.id },
      ),
    ]);
    return { sent: true, providerId: result.providerId };
  } catch (error) {
    if (!isProviderError(error)) throw error;
    const now = svc.now();
    if (error.kind !== "permanent") {
      await prisma.message.update({ where: { id: m.id }, data: { error: error.reason } });
      throw toStepError(error);
    }
    await prisma.$transaction([
      prisma.message.update({
        where: { id: m.id },
        data: { status: "failed", error: `${error.provider} ${error.code}: ${error.reason}` },
      }),
      ...(m.channel === "sms" && error.provider === "twilio" && error.code === "21610"
        ? [prisma.customer.update({ where: { id: customer.id }, data: { smsOptedOut: true } })]
        : []),
      addTimeline(
        prisma,
        m.disruptionId,
        now,
        "delivery",
        `${m.channel === "email" ? "Email" : "SMS"} to ${m.recipient} failed for good`,
        error.reason,
      ),
    ]);
    return { sent: false, permanent: true, reason: error.reason, optedOut: isOptOut(error) };
  }
}

/**
 * The account lead gets a task: call the client, with everything they need in one email — the
 * call time and the correction deadline the client was promised in their name, the errors, and
 * the gesture offered.
 */
export async function assignAccountLead(
  svc: RecoveryServices,
  disruptionId: string,
  runId: string,
): Promise<string | null> {
  const d = await svc.prisma.disruption.findUniqueOrThrow({
    where: { id: disruptionId },
    include: { customer: true, grants: true },
  });
  const lead = d.customer.accountLeadEmail;
  if (!lead) return null;
  const task = accountLeadTask(d, svc.now());
  const result = await svc.email.send(
    {
      to: lead,
      from: svc.settings.emailFrom,
      subject: task.subject,
      text: task.text,
      html: `<pre>${escapeHtml(task.text)}</pre>`,
    },
    { idempotencyKey: `${runId}:task:account-lead` },
  );
  await addTimeline(
    svc.prisma,
    disruptionId,
    svc.now(),
    "message",
    `Task sent to account lead ${d.customer.accountLeadName ?? lead}`,
    `call the client by ${task.callBy}; accepted by ${result.provider}`,
  );
  return result.providerId;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
