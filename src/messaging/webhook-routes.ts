import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { PrismaClient } from "../db/generated/node/client.ts";
import type { Logger } from "../engine/types.ts";
import { isTransientDatabaseError, isUniqueViolation, unavailable } from "../http/database-errors.ts";
import { AppError } from "../http/errors.ts";
import { OPEN_STATUSES } from "../recovery/signals.ts";
import { addTimeline } from "../recovery/timeline.ts";
import { verifyTwilioWebhook } from "./webhooks.ts";

export interface WebhookDeps {
  prisma: PrismaClient;
  logger: Logger;
  now: () => Date;
  /** Twilio's auth token; unset (Twilio not configured) → the Twilio routes answer 404. */
  twilioAuthToken?: string;
  /** The public URL of the app (e.g. APP_URL) when a proxy changes the origin Twilio signed; its origin is tried too. */
  publicUrl?: string;
}

/** Twilio's default opt-out and opt-in keywords: the whole message, any case, trimmed. */
export const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
export const START_WORDS = new Set(["START", "UNSTOP", "YES"]);

/** An inbound SMS is a few hundred bytes of form fields. */
const MAX_INBOUND_BYTES = 64 * 1024;
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
 * Provider webhooks, mounted at `/webhooks`. `POST /twilio/inbound`: an
 * inbound SMS (form-encoded, signed with `X-Twilio-Signature`). STOP and its
 * variants opt every customer with that number out of SMS at once; START
 * opts them back in. We answer with empty TwiML: Twilio itself sends the one
 * confirmation text. A delivery is applied once per `MessageSid`.
 */
export function webhookRoutes(deps: WebhookDeps): Hono {
  const app = new Hono();

  app.post(
    "/twilio/inbound",
    async (c, next) => {
      if (!deps.twilioAuthToken) throw new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`);
      await next();
    },
    bodyLimit({
      maxSize: MAX_INBOUND_BYTES,
      onError: () => {
        throw new AppError("payload_too_large", `the body is larger than the ${MAX_INBOUND_BYTES} bytes limit`);
      },
    }),
    async (c) => {
      const authToken = deps.twilioAuthToken as string;
      const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
      if (mediaType !== "application/x-www-form-urlencoded") {
        throw new AppError(
          "unsupported_media_type",
          "Twilio webhooks are form-encoded (application/x-www-form-urlencoded)",
        );
      }
      const params = new URLSearchParams(await c.req.text());

      let verified = false;
      let reason = "missing_headers";
      for (const url of signedUrlCandidates(c.req.url, deps.publicUrl)) {
        const check = await verifyTwilioWebhook({ authToken, url, params, headers: c.req.raw.headers });
        if (check.ok) {
          verified = true;
          break;
        }
        reason = check.reason;
      }
      if (!verified) {
        deps.logger.warn("twilio webhook rejected", { path: c.req.path, reason });
        throw new AppError("forbidden", "the X-Twilio-Signature header is missing or does not match this request");
      }

      const messageSid = params.get("MessageSid") ?? params.get("SmsSid");
      const from = params.get("From");
      if (!messageSid || !from) throw new AppError("bad_request", "an inbound SMS needs MessageSid and From");

      const action = inboundAction(params);
      let outcome: Awaited<ReturnType<typeof applyInbound>>;
      try {
        outcome = await applyInbound(deps, { messageSid, from, action, word: (params.get("Body") ?? "").trim() });
      } catch (error) {
        if (isUniqueViolation(error))
          outcome = { replay: true, customers: 0 }; // a concurrent copy won
        else if (isTransientDatabaseError(error))
          throw unavailable("storage is briefly unavailable; Twilio will retry");
        else throw error;
      }
      if (action && !outcome.replay) {
        deps.logger.info("sms consent changed", { messageSid, action, customers: outcome.customers });
      }
      return c.body(EMPTY_TWIML, 200, { "content-type": "text/xml; charset=utf-8" });
    },
  );

  return app;
}

/** The URL Twilio signed: the request URL, or the same path on the public origin when behind a proxy. */
function signedUrlCandidates(requestUrl: string, publicUrl: string | undefined): string[] {
  const urls = [requestUrl];
  if (publicUrl) {
    const req = new URL(requestUrl);
    urls.push(`${new URL(publicUrl).origin}${req.pathname}${req.search}`);
  }
  return [...new Set(urls)];
}

/**
 * Apply one inbound SMS in one transaction: record its MessageSid (a replay
 * stops here), then set or clear the opt-out on every customer with that
 * number, with a line on each of their open disruptions' timelines.
 */
async function applyInbound(
  deps: WebhookDeps,
  sms: { messageSid: string; from: string; action: InboundAction; word: string },
): Promise<{ replay: boolean; customers: number }> {
  const id = `twilio:${sms.messageSid}`;
  const now = deps.now();
  return deps.prisma.$transaction(async (tx) => {
    if (await tx.webhookDelivery.findUnique({ where: { id } })) return { replay: true, customers: 0 };
    await tx.webhookDelivery.create({ data: { id, source: "twilio", receivedAt: now } });
    if (!sms.action) return { replay: false, customers: 0 };
    const optedOut = sms.action === "opt_out";
    const customers = await tx.customer.findMany({
      where: { phone: sms.from },
      select: { id: true, smsOptedOut: true },
    });
    const changed = customers.filter((c) => c.smsOptedOut !== optedOut).map((c) => c.id);
    if (!changed.length) return { replay: false, customers: 0 };
    await tx.customer.updateMany({ where: { id: { in: changed } }, data: { smsOptedOut: optedOut } });
    const open = await tx.disruption.findMany({
      where: { customerId: { in: changed }, status: { in: OPEN_STATUSES } },
      select: { id: true },
    });
    const word = sms.word.toUpperCase();
    const keyword = STOP_WORDS.has(word) || START_WORDS.has(word) ? word : optedOut ? "STOP" : "START";
    for (const d of open) {
      await addTimeline(
        tx,
        d.id,
        now,
        "consent",
        optedOut ? `Customer texted ${keyword}: no more SMS` : `Customer texted ${keyword}: SMS allowed again`,
        optedOut
          ? "SMS opt-out received from Twilio; every SMS not yet sent is dropped (Twilio sends the one confirmation)"
          : "SMS opt-in received from Twilio",
        { messageSid: sms.messageSid },
      );
    }
    return { replay: false, customers: changed.length };
  });
}
