/**
 * Everything a manager needs to decide one approval, read at once: the customer and their history,
 * what happened, what they have been told, the gesture against the budget and the manager's limit,
 * and the message the customer will get if approved and if denied (or if nobody decides) —
 * rendered by the same code the workflow sends with (templateFor, disruptionVariables, renderMessage).
 */
import type { SessionUser } from "../auth/sessions.ts";
import type { Approval, Customer, Disruption, GestureGrant } from "../db/generated/node/client.ts";
import type { Channel } from "../messaging/types.ts";
import { planChannels } from "../recovery/channels.ts";
import { disruptionVariables } from "../recovery/disruption-variables.ts";
import { findPolicy } from "../recovery/gestures.ts";
import { spentIn } from "../recovery/grant-writes.ts";
import { templateKindFor } from "../recovery/message-variables.ts";
import { templateFor } from "../recovery/messages.ts";
import { DEFAULT_SETTINGS } from "../recovery/services.ts";
import { renderMessage } from "../templates/render.ts";
import { approvalLimitFor } from "./approval-limits.ts";
import type { DashboardDeps } from "./register.ts";

const DAY_MS = 86_400_000;

export interface PreviewMessage {
  channel: Channel;
  recipient: string;
  subject: string | null;
  html: string | null;
  text: string | null;
  body: string | null;
}

export interface ApprovalCardData {
  approval: Approval & { disruption: Disruption & { customer: Customer } };
  grant: GestureGrant | null;
  history: { recoveries: number; gestures: number; gestureTotal: number; currency: string };
  told: Array<{ purpose: string; channel: string; at: Date }>;
  budget: { limit: number; left: number; currency: string; period: string } | null;
  managerLimit: number | null;
  ifApproved: PreviewMessage[];
  /** The lesser gesture the policy gives instead (also when nobody decides in time); null → none. */
  lesser: { description: string; value: number; currency: string } | null;
  ifDenied: PreviewMessage[];
}

type LoadedDisruption = Disruption & { customer: Customer; grants: GestureGrant[] };

async function renderGestureMessages(
  deps: DashboardDeps,
  d: LoadedDisruption,
  grant: GestureGrant | null,
): Promise<PreviewMessage[]> {
  if (!grant || d.customer.erasedAt) return [];
  const now = deps.now();
  const kind = templateKindFor(d.kind, "gesture");
  const locale = d.customer.locale;
  const optOut = DEFAULT_SETTINGS.optOutText[locale.slice(0, 2)] ?? DEFAULT_SETTINGS.optOutText.en ?? "";
  const variables = await disruptionVariables(deps.reference, { ...d, grants: [grant] }, kind, optOut, now);
  const out: PreviewMessage[] = [];
  for (const { channel, choice } of planChannels(d.customer)) {
    if (!("send" in choice)) continue;
    const template = await templateFor(deps, kind, channel, locale);
    const ctx = { variables, locale, timeZone: d.customer.timeZone, kind };
    if (channel === "email") {
      const r = renderMessage({
        channel,
        subject: template.subject ?? "",
        html: template.html ?? "",
        text: template.text ?? undefined,
        ...ctx,
      });
      out.push({
        channel,
        recipient: d.customer.email ?? "",
        subject: r.subject,
        html: r.html,
        text: r.text,
        body: null,
      });
    } else {
      const r = renderMessage({ channel, body: template.body ?? "", ...ctx });
      out.push({ channel, recipient: d.customer.phone ?? "", subject: null, html: null, text: null, body: r.body });
    }
  }
  return out;
}

export async function approvalCard(
  deps: DashboardDeps,
  approval: ApprovalCardData["approval"],
  user: Pick<SessionUser, "role" | "approvalLimit">,
): Promise<ApprovalCardData> {
  const { prisma, reference } = deps;
  const now = deps.now();
  const d = approval.disruption;
  const period = now.toISOString().slice(0, 7);
  const yearAgo = new Date(now.getTime() - 365 * DAY_MS);
  const [grant, grants, recoveries, pastGrants, told, budget, spent, policies, gestures, managerLimit] =
    await Promise.all([
      prisma.gestureGrant.findUnique({ where: { id: approval.grantId } }),
      prisma.gestureGrant.findMany({ where: { disruptionId: d.id } }),
      prisma.disruption.count({ where: { customerId: d.customerId, detectedAt: { gte: yearAgo }, id: { not: d.id } } }),
      prisma.gestureGrant.aggregate({
        _count: true,
        _sum: { value: true },
        where: { customerId: d.customerId, status: "granted", createdAt: { gte: yearAgo } },
      }),
      prisma.message.findMany({
        where: { disruptionId: d.id, status: "sent" },
        orderBy: { sentAt: "asc" },
        select: { purpose: true, channel: true, sentAt: true },
      }),
      reference.budget(period),
      spentIn(prisma, period),
      reference.policies(),
      reference.gestures(),
      approvalLimitFor(prisma, user),
    ]);
  const loaded: LoadedDisruption = { ...d, grants };
  const approved = grant ? { ...grant, status: "granted" } : null;
  const policy = findPolicy(
    {
      disruptionKind: d.kind,
      severity: d.severity,
      tier: d.customer.tier,
      recentGrants: 0,
      capPer30Days: 0,
      budget: { limit: 0, spent: 0, currency: "EUR" },
    },
    policies.map((p) => ({ ...p, approvalLimit: Number(p.approvalLimit) })),
  );
  const fallback = gestures.find((g) => g.id === policy?.fallbackGestureId) ?? null;
  const lesserGrant: GestureGrant | null =
    grant && fallback
      ? {
          ...grant,
          id: `${grant.id}-lesser-preview`,
          gestureId: fallback.id,
          kind: fallback.kind,
          description: fallback.description,
          value: fallback.value,
          currency: fallback.currency,
          // The real code is made when the lesser gesture is granted; the preview shows its shape.
          code: fallback.kind === "voucher" || fallback.kind === "credit" ? "MG-XXXX-XXXX-XXXX" : null,
          status: "granted",
        }
      : null;
  return {
    approval,
    grant,
    history: {
      recoveries,
      gestures: pastGrants._count,
      gestureTotal: Number(pastGrants._sum.value ?? 0),
      currency: grant?.currency ?? budget?.currency ?? "EUR",
    },
    told: told.flatMap((m) => (m.sentAt ? [{ purpose: m.purpose, channel: m.channel, at: m.sentAt }] : [])),
    budget: budget
      ? {
          limit: Number(budget.limit),
          left: Number(budget.limit) - spent,
          currency: budget.currency,
          period,
        }
      : null,
    managerLimit,
    ifApproved: await renderGestureMessages(deps, loaded, approved),
    lesser: fallback
      ? { description: fallback.description, value: Number(fallback.value), currency: fallback.currency }
      : null,
    ifDenied: await renderGestureMessages(deps, loaded, lesserGrant),
  };
}
