import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openMigratedPrisma } from "../../../src/db/sqlite.ts";
import { silentLogger } from "../../../src/engine/types.ts";
import { seedDefaults } from "../../../src/recovery/defaults.ts";
import { cachedReferenceData } from "../../../src/recovery/reference-data.ts";
import { DEFAULT_SETTINGS, type RecoveryServices } from "../../../src/recovery/services.ts";

/**
 * Recovery services on a fresh, migrated and seeded SQLite file, at a fixed time: for tests that
 * call the recovery code directly. Senders are unset unless given (the code under test must not send).
 */
export async function seededServices(
  name: string,
  now: Date,
  overrides: Partial<Pick<RecoveryServices, "logger" | "email" | "sms">> = {},
): Promise<RecoveryServices> {
  const file = join(mkdtempSync(join(tmpdir(), `makegood-${name}-`)), "makegood.db");
  const { prisma } = openMigratedPrisma(file);
  const reference = cachedReferenceData(prisma);
  await seedDefaults(prisma, reference, now);
  return {
    prisma,
    reference,
    logger: silentLogger,
    email: undefined as never,
    sms: undefined as never,
    now: () => now,
    settings: DEFAULT_SETTINGS,
    ...overrides,
  };
}
