import type { SendResult } from "./types.ts";

/**
 * Delivery reports from providers, in one vocabulary. Pure: a Resend webhook
 * body or a Twilio status callback's form in, a `DeliveryReport` out (or
 * null for an event type we do not track).
 */
export type DeliveryStatus =
  | "queued"
  | "sent"
  | "delivery_delayed"
  | "delivered"
  | "bounced"
  | "complained"
  | "undelivered"
  | "failed";

export interface DeliveryReport {
  provider: Exclude<SendResult["provider"], "outbox">;
  /** The id the provider gave the message when it accepted it (`Message.providerId`). */
  providerId: string;
  status: DeliveryStatus;
  /** When the provider says it happened; null when it does not say (Twilio). */
  at: Date | null;
  errorCode: string | null;
  detail: string | null;
  /** The message will never arrive: a hard bounce, an undelivered or failed SMS. */
  permanentFailure: boolean;
}

/**
 * How far along a message is. A report never moves a message back (callbacks
 * arrive out of order: `sent` after `delivered`); a complaint comes after delivery.
 */
export const STATUS_RANK: Record<DeliveryStatus, number> = {
  queued: 0,
  sent: 1,
  delivery_delayed: 2,
  delivered: 3,
  bounced: 3,
  undelivered: 3,
  failed: 3,
  complained: 4,
};

/** The statuses a message in `status` may still move to (not backwards, not sideways between final ones). */
export function statusesBelow(status: DeliveryStatus): DeliveryStatus[] {
  return (Object.keys(STATUS_RANK) as DeliveryStatus[]).filter((s) => STATUS_RANK[s] < STATUS_RANK[status]);
}

const RESEND_TYPES: Record<string, DeliveryStatus> = {
  "email.sent": "sent",
  "email.delivered": "delivered",
  "email.delivery_delayed": "delivery_delayed",
  "email.bounced": "bounced",
  "email.complained": "complained",
};

interface ResendEventBody {
  type?: unknown;
  created_at?: unknown;
  data?: {
    email_id?: unknown;
    created_at?: unknown;
    bounce?: { type?: unknown; subType?: unknown; message?: unknown };
  };
}

/** A Resend webhook body (already verified). Unknown types (opened, clicked, …) → null. */
export function resendReport(body: unknown): DeliveryReport | null {
  const event = (body ?? {}) as ResendEventBody;
  const status = typeof event.type === "string" ? RESEND_TYPES[event.type] : undefined;
  const emailId = event.data?.email_id;
  if (!status || typeof emailId !== "string" || emailId === "") return null;
  const at = parseInstant(event.created_at) ?? parseInstant(event.data?.created_at);
  const bounce = event.data?.bounce;
  const bounceType = typeof bounce?.type === "string" ? bounce.type : null;
  // Resend sends email.bounced when the recipient's server rejected the email for good; a bounce
  // that says it is transient (SES's "Transient", "Undetermined") is recorded but not acted on.
  const hard = status === "bounced" && (bounceType === null || /^permanent$/i.test(bounceType));
  const detail =
    status === "bounced"
      ? [bounceType, typeof bounce?.subType === "string" ? bounce.subType : null, str(bounce?.message)]
          .filter(Boolean)
          .join(": ") || null
      : null;
  return {
    provider: "resend",
    providerId: emailId,
    status,
    at,
    errorCode: status === "bounced" ? (bounceType ?? "bounced") : null,
    detail: detail?.slice(0, 500) ?? null,
    permanentFailure: hard,
  };
}

const TWILIO_STATUSES: Record<string, DeliveryStatus> = {
  accepted: "queued",
  scheduled: "queued",
  queued: "queued",
  sending: "sent",
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  undelivered: "undelivered",
  failed: "failed",
  canceled: "failed",
};

/** A Twilio status callback's form fields (already verified). A status we do not know → null. */
export function twilioReport(params: URLSearchParams): DeliveryReport | null {
  const sid = params.get("MessageSid") ?? params.get("SmsSid");
  const raw = (params.get("MessageStatus") ?? params.get("SmsStatus") ?? "").toLowerCase();
  const status = TWILIO_STATUSES[raw];
  if (!sid || !status) return null;
  const errorCode = params.get("ErrorCode")?.trim() || null;
  return {
    provider: "twilio",
    providerId: sid,
    status,
    at: null,
    errorCode,
    detail: raw === status ? null : `Twilio status ${raw}`,
    permanentFailure: status === "undelivered" || status === "failed",
  };
}

function parseInstant(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const t = Date.parse(value);
  return Number.isFinite(t) ? new Date(t) : null;
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
