/**
 * What a replay reads — and only reads: the last N days of disruptions in a few batched queries
 * (no query per disruption), capped at REPLAY_CAP of the most recent ones (the page says when).
 * Nothing here writes, sends or calls a provider.
 */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { DISRUPTION_KINDS } from "../detection/types.ts";
import { languageOf } from "../locale/languages.ts";
import { disruptionVariables } from "../recovery/disruption-variables.ts";
import type { GestureKind } from "../recovery/gestures.ts";
import { templateKindFor } from "../recovery/message-variables.ts";
import { GESTURE_CAP_SETTING } from "../recovery/plan-gesture.ts";
import { cachedReferenceData } from "../recovery/reference-data.ts";
import { DEFAULT_SETTINGS } from "../recovery/services.ts";
import type { TemplateKey } from "../templates/studio.ts";
import type { PolicyWorld, ReplayDisruption } from "./policy.ts";
import type { ReplayMessage } from "./template.ts";

export const REPLAY_DAYS = [7, 30, 90] as const;
export const DEFAULT_REPLAY_DAYS = 30;
/** At most this many disruptions (the most recent) are replayed. */
export const REPLAY_CAP = 5000;
/** At most this many messages are rendered for a template replay (the most recent). */
export const TEMPLATE_REPLAY_CAP = 1000;

export function replayDays(value: string | undefined): number {
  const n = Number(value);
  return (REPLAY_DAYS as readonly number[]).includes(n) ? n : DEFAULT_REPLAY_DAYS;
}

export interface Window {
  days: number;
  since: Date;
  /** more disruptions in the window than were replayed */
  capped: boolean;
  total: number;
}

const windowOf = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

export async function loadReplayDisruptions(
  prisma: PrismaClient,
  now: Date,
  days: number,
): Promise<{ disruptions: ReplayDisruption[]; window: Window }> {
  const since = windowOf(now, days);
  const where = { detectedAt: { gte: since } };
  const [total, rows] = await Promise.all([
    prisma.disruption.count({ where }),
    prisma.disruption.findMany({
      where,
      orderBy: { detectedAt: "desc" },
      take: REPLAY_CAP,
      select: {
        id: true,
        customerId: true,
        kind: true,
        severity: true,
        detectedAt: true,
        customer: { select: { tier: true } },
      },
    }),
  ]);
  return {
    disruptions: rows.map((r) => ({
      id: r.id,
      customerId: r.customerId,
      kind: r.kind,
      severity: r.severity,
      tier: r.customer.tier,
      at: r.detectedAt,
    })),
    window: { days, since, capped: total > rows.length, total },
  };
}

/** The policies, catalog, budgets and cap in force now (the "before" of a policy replay). */
export async function loadPolicyWorld(prisma: PrismaClient): Promise<PolicyWorld> {
  const [gestures, policies, budgets, cap] = await Promise.all([
    prisma.gesture.findMany({ where: { active: true } }),
    prisma.gesturePolicy.findMany(),
    prisma.budget.findMany(),
    prisma.setting.findUnique({ where: { key: GESTURE_CAP_SETTING } }),
  ]);
  const capValue = cap ? Number(cap.value) : Number.NaN;
  return {
    catalog: gestures.map((g) => ({ ...g, kind: g.kind as GestureKind, value: Number(g.value) })),
    policies: policies.map((p) => ({ ...p, approvalLimit: Number(p.approvalLimit) })),
    budgets: new Map(budgets.map((b) => [b.period, { limit: Number(b.limit), currency: b.currency }])),
    capPer30Days: Number.isInteger(capValue) && capValue >= 0 ? capValue : DEFAULT_SETTINGS.gestureCapPer30Days,
  };
}

const PURPOSES = ["apology", "gesture", "follow_up", "update"] as const;

/**
 * The past messages a template would have produced: one per disruption in the window whose
 * customer reads this language and whose kind uses this template (a gesture message only where a
 * gesture was granted, a follow-up only once resolved), with the variables recovery would use.
 */
export async function loadTemplateMessages(
  prisma: PrismaClient,
  key: TemplateKey,
  now: Date,
  days: number,
): Promise<{ messages: ReplayMessage[]; window: Window }> {
  const since = windowOf(now, days);
  const kinds = [...new Set(DISRUPTION_KINDS.filter((k) => PURPOSES.some((p) => templateKindFor(k, p) === key.kind)))];
  const generic = key.kind === "gesture_confirmed" || key.kind === "update_still_unresolved";
  const where = {
    detectedAt: { gte: since },
    ...(generic ? {} : { kind: { in: kinds } }),
    ...(key.kind === "gesture_confirmed" ? { grants: { some: { status: "granted" } } } : {}),
    ...(key.kind.startsWith("followup") ? { resolvedAt: { not: null } } : {}),
    customer: { erasedAt: null },
  };
  const rows = await prisma.disruption.findMany({
    where,
    orderBy: { detectedAt: "desc" },
    take: TEMPLATE_REPLAY_CAP * 3,
    include: { customer: true, grants: true },
  });
  const lang = languageOf(key.locale);
  const mine = rows.filter((d) => languageOf(d.customer.locale) === lang);
  const chosen = mine.slice(0, TEMPLATE_REPLAY_CAP);
  // One reference reader for the whole replay: gestures and settings read once, not per disruption.
  const reference = cachedReferenceData(prisma);
  const messages: ReplayMessage[] = [];
  for (const d of chosen) {
    const optOut = DEFAULT_SETTINGS.optOutText[lang] ?? DEFAULT_SETTINGS.optOutText.en ?? "Reply STOP to opt out";
    const variables = await disruptionVariables(reference, d, key.kind, optOut, now);
    messages.push({ disruptionId: d.id, variables, locale: d.customer.locale, timeZone: d.customer.timeZone });
  }
  return {
    messages,
    window: {
      days,
      since,
      capped: mine.length > chosen.length || rows.length === TEMPLATE_REPLAY_CAP * 3,
      total: mine.length,
    },
  };
}
