import { parseDuration } from "../engine/duration.ts";
import type { RecoveryServices } from "./services.ts";

/**
 * Who sends the follow-up on resolution, without a wait that could miss an early event: the
 * recovery promises it (after the apology, and the gesture a manager decided), the resolution
 * arrives, and whichever of the two comes second claims it, in one statement each, so exactly
 * one sends it (`Disruption.followUpBy`).
 *
 * The recovery's promise: record when the follow-up is due (kept if a try before this one
 * recorded it), and claim the follow-up if the disruption is resolved already. `followUpNow`
 * says this recovery sends it; a retry finds its own claim again.
 */
export async function promiseFollowUp(
  svc: RecoveryServices,
  disruptionId: string,
): Promise<{ at: string; followUpNow: boolean }> {
  const due = new Date(svc.now().getTime() + parseDuration(svc.settings.followUpAfter));
  const [row] = await svc.prisma.$queryRaw<{ followUpDueAt: Date | string; followUpBy: string | null }[]>`
    UPDATE "Disruption" SET "followUpDueAt" = COALESCE("followUpDueAt", ${due}),
      "followUpBy" = CASE WHEN "followUpBy" IS NULL AND "status" = 'resolved' THEN 'recovery' ELSE "followUpBy" END,
      "updatedAt" = ${new Date()}
    WHERE "id" = ${disruptionId}
    RETURNING "followUpDueAt", "followUpBy"`;
  if (!row) throw new Error(`no disruption ${disruptionId}`);
  return { at: new Date(row.followUpDueAt).toISOString(), followUpNow: row.followUpBy === "recovery" };
}

/**
 * The resolution's claim, after it was recorded: the follow-up is this run's to send if the
 * recovery promised it before the resolution (and so did not claim it). A retry finds its own claim.
 */
export async function claimFollowUpOnResolution(svc: RecoveryServices, disruptionId: string): Promise<boolean> {
  const rows = await svc.prisma.$queryRaw<{ id: string }[]>`
    UPDATE "Disruption" SET "followUpBy" = 'resolution', "updatedAt" = ${new Date()}
    WHERE "id" = ${disruptionId} AND "status" = 'resolved' AND "followUpDueAt" IS NOT NULL
      AND ("followUpBy" IS NULL OR "followUpBy" = 'resolution')
    RETURNING "id"`;
  return rows.length > 0;
}

/** Resolved by now: the update the recovery promised is not sent (the resolution's follow-up is). */
export async function isResolved(svc: RecoveryServices, disruptionId: string): Promise<boolean> {
  const d = await svc.prisma.disruption.findUniqueOrThrow({ where: { id: disruptionId }, select: { status: true } });
  return d.status === "resolved";
}
