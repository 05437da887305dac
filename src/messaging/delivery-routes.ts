import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { PrismaClient } from "../db/generated/node/client.ts";
import type { Logger } from "../engine/types.ts";
import { isTransientDatabaseError, unavailable } from "../http/database-errors.ts";
import { AppError } from "../http/errors.ts";
import type { MakegoodInngest } from "../inngest/client.ts";
import { applyDeliveryReport, MESSAGE_UNDELIVERABLE, type ReportOutcome } from "../recovery/delivery-reports.ts";
import { type DeliveryReport, resendReport, twilioReport } from "./delivery-status.ts";
import { signedTwilioForm, twilioBodyLimit, twilioConfigured } from "./twilio-request.ts";
import { verifyResendWebhook } from "./webhooks.ts";

export interface DeliveryRouteDeps {
  prisma: PrismaClient;
  logger: Logger;
  now: () => Date;
  twilioAuthToken?: string;
  publicUrl?: string;
  resendWebhookSecret?: string;
  inngest: Pick<MakegoodInngest, "send">;
}

/** Resend's events are a few kilobytes of JSON. */
const MAX_RESEND_BYTES = 256 * 1024;

/**
 * Delivery reports, added to the `/webhooks` routes:
 * - `POST /resend`: Resend's email events, signed the Svix way (`svix-id`, `svix-timestamp`,
 *   `svix-signature`, 5-minute tolerance); a redelivery (same `svix-id`) is applied once.
 *   404 unless `RESEND_WEBHOOK_SECRET` is set.
 * - `POST /twilio/status`: Twilio's status callbacks (`MessageStatus`, `ErrorCode`), signed with
 *   `X-Twilio-Signature`; the same status for the same message is applied once. 404 unless Twilio is set.
 * A message that will never arrive is handed to the fall-back (an Inngest event, deduplicated on the
 * message id); if that hand-off fails, the answer is 503 and the provider's retry sends it again.
 */
export function deliveryRoutes(app: Hono, deps: DeliveryRouteDeps): void {
  app.post(
    "/resend",
    async (c, next) => {
      if (!deps.resendWebhookSecret) throw new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`);
      await next();
    },
    bodyLimit({
      maxSize: MAX_RESEND_BYTES,
      onError: () => {
        throw new AppError("payload_too_large", `the body is larger than the ${MAX_RESEND_BYTES} bytes limit`);
      },
    }),
    async (c) => {
      const body = await c.req.text();
      const check = await verifyResendWebhook({
        secret: deps.resendWebhookSecret as string,
        body,
        headers: c.req.raw.headers,
      });
      if (!check.ok) {
        deps.logger.warn("resend webhook rejected", { reason: check.reason });
        throw new AppError(
          "unauthenticated",
          "the svix-id, svix-timestamp and svix-signature headers are missing, stale or do not match this body",
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new AppError("bad_request", "the body is not JSON");
      }
      const report = resendReport(parsed);
      const outcome = report ? await apply(deps, `resend:${check.id}`, report) : null;
      return c.json({ received: true, applied: outcome !== null && "applied" in outcome });
    },
  );

  app.post("/twilio/status", twilioConfigured(deps.twilioAuthToken), twilioBodyLimit, async (c) => {
    const params = await signedTwilioForm(c, deps);
    const report = twilioReport(params);
    if (!report) throw new AppError("bad_request", "a status callback needs MessageSid and a known MessageStatus");
    // Twilio's callbacks carry no delivery id: the same status for the same message is the same report.
    await apply(deps, `twilio-status:${report.providerId}:${report.status}`, report);
    return c.body(null, 204);
  });
}

async function apply(deps: DeliveryRouteDeps, deliveryId: string, report: DeliveryReport): Promise<ReportOutcome> {
  let outcome: ReportOutcome;
  try {
    outcome = await applyDeliveryReport(deps.prisma, deliveryId, report, deps.now());
  } catch (error) {
    if (isTransientDatabaseError(error)) throw unavailable("storage is briefly unavailable; the provider will retry");
    throw error;
  }
  if ("unknown" in outcome) {
    deps.logger.info("delivery report for no message of ours", { provider: report.provider, status: report.status });
    return outcome;
  }
  if (outcome.undeliverable) {
    const messageId = outcome.undeliverable;
    await deps.inngest
      .send({ id: `undeliverable:${messageId}`, name: MESSAGE_UNDELIVERABLE, data: { messageId } })
      .catch((error: unknown) => {
        deps.logger.error("handing an undeliverable message to the fall-back failed", {
          messageId,
          error: String(error),
        });
        throw unavailable("the fall-back could not be started; the provider will retry");
      });
  }
  return outcome;
}
