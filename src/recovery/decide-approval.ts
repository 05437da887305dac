/**
 * A manager's decision on a pending approval, the same whoever asks (the JSON API or the
 * dashboard): claim the pending row, note it on the timeline, and tell the waiting workflow
 * at once with `makegood/approval.decided`.
 */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { AppError } from "../http/errors.ts";
import type { MakegoodInngest } from "../inngest/client.ts";
import { addTimeline } from "./timeline.ts";

export interface DecideApprovalDeps {
  prisma: PrismaClient;
  inngest: MakegoodInngest;
  now: () => Date;
}

export interface DecideApprovalInput {
  disruptionId: string;
  decision: "approve" | "deny";
  note?: string | null;
  /** Who decided, as the timeline shows it: a person's name or `api key <name>`. */
  by: string;
  /** This approval only (the dashboard's form); otherwise the disruption's pending one. */
  approvalId?: string;
}

/** → the approval's id and new status; not_found for an unknown disruption, conflict when nothing is pending. */
export async function decideApproval(
  deps: DecideApprovalDeps,
  input: DecideApprovalInput,
): Promise<{ approvalId: string; status: string }> {
  const { prisma } = deps;
  const { disruptionId, decision, by } = input;
  const note = input.note ?? null;
  const now = deps.now();
  const decided = await claim(prisma, input, now);
  if (!decided) {
    const exists = await prisma.disruption.findUnique({ where: { id: disruptionId } });
    if (!exists) throw new AppError("not_found", "no disruption with that id");
    throw new AppError("conflict", "no approval is pending for this disruption (already decided or expired)");
  }
  // The waiting workflow continues as soon as the engine has the decision.
  await deps.inngest.send({
    id: `approval:${decided.id}`,
    name: "makegood/approval.decided",
    data: { disruptionId, approvalId: decided.id, decision, note, by },
  });
  return { approvalId: decided.id, status: decided.status };
}

/**
 * Claim the pending approval for this decision: a read, then one batch led by the claim itself
 * (`update … where status = pending`), so of two managers deciding at once one wins and the other
 * gets null (no interactive transaction: D1 has none).
 */
async function claim(
  prisma: PrismaClient,
  input: DecideApprovalInput,
  now: Date,
): Promise<{ id: string; status: string } | null> {
  const { disruptionId, decision, by } = input;
  const note = input.note ?? null;
  const approval = await prisma.approval.findFirst({
    where: { disruptionId, status: "pending", ...(input.approvalId ? { id: input.approvalId } : {}) },
    select: { id: true },
  });
  if (!approval) return null;
  const status = decision === "approve" ? "approved" : "denied";
  try {
    await prisma.$transaction([
      prisma.approval.update({
        where: { id: approval.id, status: "pending" },
        data: { status, decidedAt: now, decidedBy: by, note },
      }),
      addTimeline(
        prisma,
        disruptionId,
        now,
        "approval",
        `${decision === "approve" ? "Approved" : "Denied"} by ${by}`,
        note ?? undefined,
      ),
    ]);
  } catch (error) {
    if ((error as { code?: unknown }).code === "P2025") return null;
    throw error;
  }
  return { id: approval.id, status };
}
