import type { PrismaClient } from "../db/generated/node/client.ts";

/**
 * Workers keep no memory between requests, so whether the functions are synced with the Inngest
 * server is kept in D1: a successful `PUT /api/inngest` (the SDK registering this deployment's
 * functions) stores the function ids it registered; `/readyz` is ready when they are the ids this
 * code serves. A deploy that adds a function is not ready until it is synced again.
 */
export const SYNC_SETTING = "inngest.sync";

export interface SyncRecord {
  at: string;
  functions: string[];
}

export async function recordSync(prisma: PrismaClient, functions: string[], at: Date): Promise<void> {
  const value = JSON.stringify({ at: at.toISOString(), functions: [...functions].sort() } satisfies SyncRecord);
  await prisma.setting.upsert({
    where: { key: SYNC_SETTING },
    create: { key: SYNC_SETTING, value },
    update: { value },
  });
}

export async function syncCheck(prisma: PrismaClient, functions: string[]): Promise<{ ok: boolean; detail: string }> {
  const row = await prisma.setting.findUnique({ where: { key: SYNC_SETTING } });
  if (!row) return { ok: false, detail: "not synced yet: PUT /api/inngest after each deploy" };
  const record = JSON.parse(row.value) as SyncRecord;
  const missing = functions.filter((id) => !record.functions.includes(id));
  if (missing.length) return { ok: false, detail: `synced ${record.at} without ${missing.join(", ")}: sync again` };
  return { ok: true, detail: `synced ${record.at}` };
}
