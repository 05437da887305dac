/** How much a dashboard user may approve, and how much needs an explicit confirmation. */
import type { SessionUser } from "../auth/sessions.ts";
import type { PrismaClient } from "../db/generated/node/client.ts";

/** Approvals above this value need the "I confirm" box ticked (ASVS: explicit confirm for costly actions). */
export const CONFIRM_ABOVE = 100;
/** A manager without a limit of their own may approve up to this, unless the setting below says otherwise. */
export const DEFAULT_MANAGER_LIMIT = 250;
export const MANAGER_LIMIT_SETTING = "dashboard.managerApprovalLimit";

/** The largest gesture `user` may approve; null → no limit (an admin without one). */
export async function approvalLimitFor(
  prisma: Pick<PrismaClient, "setting">,
  user: Pick<SessionUser, "role" | "approvalLimit">,
): Promise<number | null> {
  if (user.approvalLimit !== null) return user.approvalLimit;
  if (user.role === "admin") return null;
  const setting = await prisma.setting.findUnique({ where: { key: MANAGER_LIMIT_SETTING } });
  const value = setting ? Number(setting.value) : Number.NaN;
  return Number.isFinite(value) && value >= 0 ? value : DEFAULT_MANAGER_LIMIT;
}
