import { ConfigSchema } from "../config.ts";
import type { PrismaClient } from "../db/generated/node/client.ts";
import type { Logger } from "../engine/types.ts";
import { loadMessagingConfig } from "../messaging/config.ts";
import { emailSenderFrom, smsSenderFrom } from "../messaging/index.ts";
import { prismaOutboxStore } from "../messaging/outbox-prisma.ts";
import type { ReferenceData } from "./reference-data.ts";
import { DEFAULT_SETTINGS, type RecoveryServices } from "./services.ts";

/** The recovery services of a Node process or function thread: providers (or the outbox) from env. */
export function buildRecoveryServices(deps: {
  prisma: PrismaClient;
  reference: ReferenceData;
  env: Record<string, string | undefined>;
  unknownCustomerHoldHours: number;
  logger: Logger;
  now: () => Date;
}): RecoveryServices {
  const messaging = loadMessagingConfig(deps.env);
  const outbox = prismaOutboxStore(deps.prisma);
  return {
    prisma: deps.prisma,
    reference: deps.reference,
    email: emailSenderFrom(messaging, outbox),
    sms: smsSenderFrom(messaging, outbox),
    now: deps.now,
    settings: {
      ...DEFAULT_SETTINGS,
      emailFrom: messaging.emailFrom,
      unknownCustomerHoldHours: deps.unknownCustomerHoldHours,
      // Read from the env like the providers, so function threads see it too (validated at start by loadConfig).
      retentionDays: ConfigSchema.shape.RETENTION_DAYS.parse(deps.env.RETENTION_DAYS),
    },
    logger: deps.logger,
  };
}
