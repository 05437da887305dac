import { z } from "zod";
import { ConfigError } from "../config.ts";
import type { ResendConfig } from "./resend.ts";
import type { TwilioConfig } from "./twilio.ts";

/** An empty variable counts as unset (`RESEND_API_KEY=` in a .env file). */
const unsetIfBlank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfBlank, schema.optional());

const TWILIO_VARS = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"] as const;

/**
 * Messaging settings from the environment. A provider is used when its keys
 * are set; otherwise messages go to the local outbox. Half a Twilio setup
 * is an error, not a silent fallback.
 */
export const MessagingConfig = z
  .object({
    RESEND_API_KEY: optional(z.string()),
    RESEND_BASE_URL: optional(z.url()),
    EMAIL_FROM: z.preprocess(
      unsetIfBlank,
      z
        .string()
        .regex(/^[^\r\n]*@[^\r\n]*$/, "must be an address like `Name <name@example.com>` on one line")
        .default("makegood <recovery@makegood.local>"),
    ),
    TWILIO_ACCOUNT_SID: optional(z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must look like AC<32 hex>")),
    TWILIO_AUTH_TOKEN: optional(z.string()),
    TWILIO_FROM: optional(
      z.string().regex(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/, "must be an E.164 number or a Messaging Service SID"),
    ),
    TWILIO_BASE_URL: optional(z.url()),
    /** Resend's webhook signing secret: turns on POST /webhooks/resend. */
    RESEND_WEBHOOK_SECRET: optional(
      z
        .string()
        .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, "must be the whsec_… signing secret Resend shows for the webhook"),
    ),
    /** The app's public URL (the serve endpoint's); its origin receives Twilio's status callbacks. */
    APP_URL: optional(z.url()),
  })
  .superRefine((env, ctx) => {
    const set = TWILIO_VARS.filter((name) => env[name] !== undefined);
    if (set.length === 0 || set.length === TWILIO_VARS.length) return;
    for (const name of TWILIO_VARS) {
      if (env[name] === undefined) {
        ctx.addIssue({ code: "custom", path: [name], message: `is required when ${set.join(", ")} is set` });
      }
    }
  })
  .transform((env) => ({
    emailFrom: env.EMAIL_FROM,
    resend: env.RESEND_API_KEY
      ? ({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL } satisfies ResendConfig)
      : undefined,
    twilio:
      env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM
        ? ({
            accountSid: env.TWILIO_ACCOUNT_SID,
            authToken: env.TWILIO_AUTH_TOKEN,
            from: env.TWILIO_FROM,
            baseUrl: env.TWILIO_BASE_URL,
            ...(env.APP_URL ? { statusCallback: `${new URL(env.APP_URL).origin}/webhooks/twilio/status` } : {}),
          } satisfies TwilioConfig)
        : undefined,
    resendWebhookSecret: env.RESEND_WEBHOOK_SECRET,
  }));

export type MessagingConfig = z.infer<typeof MessagingConfig>;

export function loadMessagingConfig(env: Record<string, string | undefined>): MessagingConfig {
  const result = MessagingConfig.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`invalid messaging configuration: ${problems}`);
  }
  return result.data;
}
