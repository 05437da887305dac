import type { PrismaClient } from "../db/generated/node/client.ts";
import type { Logger } from "../engine/types.ts";
import type { EmailSender, SmsSender } from "../messaging/types.ts";
import type { ReferenceData } from "./reference-data.ts";

/** Tunables with sensible defaults; stored settings may override them later. */
export interface RecoverySettings {
  /** A shipment later than promised by less than this is not a disruption. */
  graceMinutes: number;
  flightDelayThresholdMinutes: number;
  /** Gestures per customer per 30 days. */
  gestureCapPer30Days: number;
  /** When the follow-up is due if the resolution signal has not come. */
  followUpAfter: string;
  emailFrom: string;
  /** The SMS opt-out line, by language. */
  optOutText: Record<string, string>;
  /** How long a booking, order or deliverable of an unknown customer waits for the customer's record. */
  unknownCustomerHoldHours: number;
  /** RETENTION_DAYS: message contents and event payloads are purged after this many days; unset: kept. */
  retentionDays?: number;
}

export const DEFAULT_SETTINGS: RecoverySettings = {
  graceMinutes: 60,
  flightDelayThresholdMinutes: 120,
  gestureCapPer30Days: 3,
  followUpAfter: "3d",
  emailFrom: "makegood <recovery@makegood.local>",
  optOutText: {
    en: "Reply STOP to opt out",
    fr: "STOP pour ne plus recevoir de SMS",
    de: "STOP: keine SMS mehr",
  },
  unknownCustomerHoldHours: 24,
};

/** Everything the recovery workflows touch, injected (tests hand in fakes or the local outbox). */
export interface RecoveryServices {
  prisma: PrismaClient;
  /** Gestures, policies, budgets, settings, published templates: read once, dropped when changed. */
  reference: ReferenceData;
  email: EmailSender;
  sms: SmsSender;
  now: () => Date;
  settings: RecoverySettings;
  /** Parts of events not acted on are logged, one line each. */
  logger: Logger;
}
