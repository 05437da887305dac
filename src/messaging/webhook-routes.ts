import { Hono } from "hono";
import type { PrismaClient } from "../db/generated/node/client.ts";
import type { Logger } from "../engine/types.ts";
import { isTransientDatabaseError, isUniqueViolation, unavailable } from "../http/database-errors.ts";
import { AppError } from "../http/errors.ts";
import type { MakegoodInngest } from "../inngest/client.ts";
import { OPEN_STATUSES } from "../recovery/signals.ts";
import { addTimeline } from "../recovery/timeline.ts";
import { deliveryRoutes } from "./delivery-routes.ts";
import { signedTwilioForm, twilioBodyLimit, twilioConfigured } from "./twilio-request.ts";

export interface WebhookDeps {
  prisma: PrismaClient;
  logger: Logger;
  now: () => Date;
  /** Twilio's auth token; unset (Twilio not configured) → the Twilio routes answer 404. */
  twilioAuthToken?: string;
  /** The public URL of the app (e.g. APP_URL) when a proxy changes the origin Twilio signed; its origin is tried too. */
  publicUrl?: string;
  /** Resend's webhook signing secret (`whsec_…`); unset → `/webhooks/resend` answers 404. */
  resendWebhookSecret?: string;
  /** Where a message found undeliverable is handed on (the fall-back to the other channel). */
  inngest: Pick<MakegoodInngest, "send">;
}

/** Twilio's default opt-out and opt-in keywords: the whole message, any case, trimmed. */
export const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
export const START_WORDS = new Set(["START", "UNSTOP", "YES"]);

const EMPTY_TWIML = "<Response/>";

export type InboundAction = "opt_out" | "opt_in" | null;

/** What an inbound SMS asks for: Twilio's `OptOutType` when Advanced Opt-Out sends it, else the keyword. */
export function inboundAction(params: URLSearchParams): InboundAction {
  const type = params.get("OptOutType")?.trim().toUpperCase();
  if (type === "STOP") return "opt_out";
  if (type === "START") return "opt_in";
  const word = (params.get("Body") ?? "").trim().toUpperCase();
  if (STOP_WORDS.has(word)) return "opt_out";
  if (START_WORDS.has(word)) return "opt_in";
  return null;
}

/**
 * Provider webhooks, mounted at `/webhooks`; each authenticates by the
 * provider's signature. `POST /twilio/inbound`: an inbound SMS (form-encoded,
 * signed with `X-Twilio-Signature`). STOP and its variants opt every customer
 * with that number out of SMS at once; START opts them back in. We answer
 * with empty TwiML: Twilio itself sends the one confirmation text. A delivery
 * is applied once per `MessageSid`. Delivery reports (`/resend`,
 * `/twilio/status`) are in `delivery-routes.ts`.
 */
export function webhookRoutes(deps: WebhookDeps): Hono {
  const app = new Hono();

  app.post("/twilio/inbound", twilioConfigured(deps.twilioAuthToken), twilioBodyLimit, async (c) => {
    const params = await signedTwilioForm(c, deps);
    const messageSid = params.get("MessageSid") ?? params.get("SmsSid");
    const from = params.get("From");
    if (!messageSid || !from) throw new AppError("bad_request", "an inbound SMS needs MessageSid and From");

    const action = inboundAction(params);
    let outcome: Awaited<ReturnType<typeof applyInbound>>;
    try {
      outcome = await applyInbound(deps, { messageSid, from, action, word: (params.get("Body") ?? "").trim() });
    } catch (error) {
      if (isUniqueViolation(error))
        outcome = { replay: true, customers: 0 }; // processed before, or a concurrent copy won
      else if (isTransientDatabaseError(error)) throw unavailable("storage is briefly unavailable; Twilio will retry");
      else throw error;
    }
    if (action && !outcome.replay) {
      deps.logger.info("sms consent changed", { messageSid, action, customers: outcome.customers });
    }
    return c.body(EMPTY_TWIML, 200, { "content-type": "text/xml; charset=utf-8" });
  });

  deliveryRoutes(app, deps);
  return app;
}

/**
 * Apply one inbound SMS. No interactive transaction (D1 has none): read who has that number and
 * their open disruptions, then one batch led by a guard — recording the MessageSid fails on a
 * replay (or when a concurrent copy won) and the batch rolls back — that sets or clears the
 * opt-out and writes a line on each open disruption's timeline.
 */
async function applyInbound(
  deps: WebhookDeps,
  sms: { messageSid: string; from: string; action: InboundAction; word: string },
): Promise<{ replay: boolean; customers: number }> {
  const { prisma } = deps;
  const guard = prisma.webhookDelivery.create({
    data: { id: `twilio:${sms.messageSid}`, source: "twilio", receivedAt: deps.now() },
  });
  if (!sms.action) {
    await prisma.$transaction([guard]);
    return { replay: false, customers: 0 };
  }
  const now = deps.now();
  const optedOut = sms.action === "opt_out";
  const changed = (
    await prisma.customer.findMany({ where: { phone: sms.from, smsOptedOut: !optedOut }, select: { id: true } })
  ).map((c) => c.id);
  const open = changed.length
    ? await prisma.disruption.findMany({
        where: { customerId: { in: changed }, status: { in: OPEN_STATUSES } },
        select: { id: true },
      })
    : [];
  const word = sms.word.toUpperCase();
  const keyword = STOP_WORDS.has(word) || START_WORDS.has(word) ? word : optedOut ? "STOP" : "START";
  await prisma.$transaction([
    guard,
    prisma.customer.updateMany({ where: { phone: sms.from, smsOptedOut: !optedOut }, data: { smsOptedOut: optedOut } }),
    ...open.map((d) =>
      addTimeline(
        prisma,
        d.id,
        now,
        "consent",
        optedOut ? `Customer texted ${keyword}: no more SMS` : `Customer texted ${keyword}: SMS allowed again`,
        optedOut
          ? "SMS opt-out received from Twilio; every SMS not yet sent is dropped (Twilio sends the one confirmation)"
          : "SMS opt-in received from Twilio",
        { messageSid: sms.messageSid },
      ),
    ),
  ]);
  return { replay: false, customers: changed.length };
}
