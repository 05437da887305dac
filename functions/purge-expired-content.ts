import type { MakegoodInngest } from "../src/inngest/client.ts";
import { purgeExpiredContent } from "../src/privacy/retention.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";

/**
 * Every night: with RETENTION_DAYS set, message contents, outbox rows and event payloads older
 * than that are purged (src/privacy/retention.ts). One purge at a time; a repeat finds nothing.
 */
export function purgeExpiredContentFunction(inngest: MakegoodInngest, svc: RecoveryServices) {
  return inngest.createFunction(
    { id: "purge-expired-content", triggers: [{ cron: "15 3 * * *" }], concurrency: { limit: 1 } },
    async ({ step }) => {
      const days = svc.settings.retentionDays;
      if (!days) return { skipped: "RETENTION_DAYS is not set" };
      return step.run("purge", () => purgeExpiredContent(svc.prisma, svc.now(), days));
    },
  );
}
