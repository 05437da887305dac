/** POST /dashboard/approvals/:id/decide — a manager approves or denies, within their limit. */

import type { Context } from "hono";
import { audit, userActor } from "../auth/audit.ts";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import { AppError } from "../http/errors.ts";
import { decideApproval } from "../recovery/decide-approval.ts";
import { approvalLimitFor, CONFIRM_ABOVE } from "./approval-limits.ts";
import type { DecideFormState } from "./approvals.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

const field = (body: Record<string, unknown>, name: string): string => {
  const value = body[name];
  return typeof value === "string" ? value : "";
};

/**
 * A refused decision (no choice, above the manager's limit, the confirmation not ticked) goes back
 * to the queue with the message on its card and the note kept (`refused`); an approval that is gone
 * or already decided is an error page with a way back.
 */
export function approvalDecideRoutes(
  app: DashboardApp,
  deps: DashboardDeps,
  refused: (c: Context<DashboardEnv>, form: DecideFormState) => Response | Promise<Response>,
): void {
  page(app, "POST", "/dashboard/approvals/:id/decide", async (c) => {
    const { prisma } = deps;
    const user = c.var.user;
    const approval = await prisma.approval.findUnique({ where: { id: c.req.param("id") ?? "" } });
    if (!approval) throw new AppError("not_found", "no approval with that id");
    if (approval.status !== "pending")
      throw new AppError("conflict", `this approval is already ${approval.status}; nothing to decide`);

    const body = await c.req.parseBody();
    const decision = field(body, "decision");
    const typed = field(body, "note").slice(0, 1000);
    const refuse = (form: Omit<DecideFormState, "approvalId" | "note">) =>
      refused(c, { ...form, approvalId: approval.id, note: typed });
    if (decision !== "approve" && decision !== "deny")
      return refuse({ field: "decision", message: "Choose Approve or Deny." });
    const note = typed.trim() || undefined;
    const grant = await prisma.gestureGrant.findUnique({ where: { id: approval.grantId } });
    const value = Number(grant?.value ?? 0);
    const cost = grant ? `${value} ${grant.currency}` : "this gesture";

    if (decision === "approve") {
      const limit = await approvalLimitFor(prisma, user);
      if (limit !== null && value > limit)
        return refuse({
          field: "limit",
          message: `Your approval limit is ${limit}; ${cost} is above it — ask someone with a higher limit.`,
        });
      if (value > CONFIRM_ABOVE && field(body, "confirm") !== "yes")
        return refuse({
          field: "confirm",
          message: `Approving ${cost} needs the confirmation box ticked. Your note is kept below.`,
        });
    }
    if (!deps.inngest) throw new Error("the dashboard was started without an Inngest client");

    const decided = await decideApproval(
      { prisma, inngest: deps.inngest, now: deps.now },
      { disruptionId: approval.disruptionId, approvalId: approval.id, decision, note, by: user.name },
    );
    await audit(
      prisma,
      userActor(user),
      `approval.${decision}`,
      approval.id,
      { disruptionId: approval.disruptionId, grantId: approval.grantId, value, currency: grant?.currency, note },
      deps.now(),
    );
    return c.redirect(
      `/dashboard/recoveries/${encodeURIComponent(approval.disruptionId)}?decided=${decided.status}`,
      303,
    );
  });
}
