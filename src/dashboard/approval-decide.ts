/** POST /dashboard/approvals/:id/decide — a manager approves or denies, within their limit. */
import { audit, userActor } from "../auth/audit.ts";
import { AppError } from "../http/errors.ts";
import { decideApproval } from "../recovery/decide-approval.ts";
import { approvalLimitFor, CONFIRM_ABOVE } from "./approval-limits.ts";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

const field = (body: Record<string, unknown>, name: string): string => {
  const value = body[name];
  return typeof value === "string" ? value : "";
};

export function approvalDecideRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "POST", "/dashboard/approvals/:id/decide", async (c) => {
    const { prisma } = deps;
    const user = c.var.user;
    const approval = await prisma.approval.findUnique({ where: { id: c.req.param("id") ?? "" } });
    if (!approval) throw new AppError("not_found", "no approval with that id");
    if (approval.status !== "pending")
      throw new AppError("conflict", `this approval is already ${approval.status}; nothing to decide`);

    const body = await c.req.parseBody();
    const decision = field(body, "decision");
    if (decision !== "approve" && decision !== "deny")
      throw new AppError("validation_failed", "choose approve or deny", [
        { field: "decision", message: "approve or deny" },
      ]);
    const note = field(body, "note").trim().slice(0, 1000) || undefined;
    const grant = await prisma.gestureGrant.findUnique({ where: { id: approval.grantId } });
    const value = Number(grant?.value ?? 0);
    const cost = grant ? `${value} ${grant.currency}` : "this gesture";

    if (decision === "approve") {
      const limit = await approvalLimitFor(prisma, user);
      if (limit !== null && value > limit)
        throw new AppError(
          "forbidden",
          `your approval limit is ${limit}; ${cost} is above it — ask someone with a higher limit`,
        );
      if (value > CONFIRM_ABOVE && field(body, "confirm") !== "yes")
        throw new AppError("validation_failed", `approving ${cost} needs the confirmation box ticked`, [
          { field: "confirm", message: "tick to confirm" },
        ]);
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
