import type { PrismaClient } from "../db/generated/node/client.ts";
import { DEFAULT_GESTURE_TEXTS } from "../locale/gesture-texts.ts";
import { CATALOG_LANGUAGE, LANGUAGES } from "../locale/languages.ts";
import { DEFAULT_TEMPLATES } from "../templates/defaults.ts";
import type { ReferenceData } from "./reference-data.ts";

const text = (id: string) => {
  const t = DEFAULT_GESTURE_TEXTS[id];
  if (!t) throw new Error(`no default texts for gesture ${id}`);
  return t;
};
const gesture = (id: string, kind: string, value: number) => ({
  id,
  kind,
  ...text(id)[CATALOG_LANGUAGE],
  value,
  currency: "EUR",
});

/**
 * The gesture catalog and policies a fresh installation starts with; managers change them later.
 * A description says what the gesture is, with its article, ready for a sentence ("a meal
 * voucher"); templates add the amount (formatted for the locale) and, for items sent overnight,
 * when they arrive. It names no person: the account lead who offers a session writes "with me".
 * The texts, in every language, are in src/locale/gesture-texts.ts: English in the row, the
 * others as `GestureText` translations.
 */
export const DEFAULT_GESTURES = [
  gesture("meal-voucher-50", "voucher", 50),
  gesture("meal-voucher-15", "voucher", 15),
  gesture("credit-15", "credit", 15),
  gesture("overnight-gift", "complimentary_item", 120),
  gesture("insights-session", "free_session", 400),
];

/** The default gestures' translations, as `GestureText` rows. */
export const DEFAULT_GESTURE_TRANSLATIONS = DEFAULT_GESTURES.flatMap((g) =>
  LANGUAGES.filter((l) => l !== CATALOG_LANGUAGE).map((language) => ({
    gestureId: g.id,
    language,
    ...text(g.id)[language],
  })),
);

const policy = (
  id: string,
  disruptionKind: string,
  severity: string,
  tier: string,
  gestureId: string,
  approvalLimit: number,
  fallbackGestureId?: string,
) => ({
  id,
  disruptionKind,
  severity,
  tier,
  gestureId,
  fallbackGestureId: fallbackGestureId ?? null,
  approvalLimit,
  approvalTimeout: "4h",
});

export const DEFAULT_POLICIES = [
  policy("flight-cancelled", "flight_cancelled", "*", "*", "meal-voucher-50", 100),
  policy("flight-diverted", "flight_diverted", "*", "*", "meal-voucher-50", 100),
  policy("flight-delayed", "flight_delayed", "*", "*", "meal-voucher-15", 100),
  policy("shipment-delay", "shipment_delay", "*", "*", "credit-15", 100),
  policy("shipment-delay-high-valued", "shipment_delay", "high", "valued", "overnight-gift", 100, "credit-15"),
  policy("shipment-delay-high-vip", "shipment_delay", "high", "vip", "overnight-gift", 100, "credit-15"),
  policy("shipment-delay-critical-valued", "shipment_delay", "critical", "valued", "overnight-gift", 100, "credit-15"),
  policy("shipment-delay-critical-vip", "shipment_delay", "critical", "vip", "overnight-gift", 100, "credit-15"),
  policy("deliverable-error", "deliverable_error", "*", "*", "insights-session", 500),
];

/**
 * Seed what an empty database needs: the gesture catalog (with its translations), policies, this
 * month's budget, and the default templates as published version 1 (so CX
 * edits are versions on top). Only fills what is missing.
 */
export async function seedDefaults(
  prisma: PrismaClient,
  reference: Pick<ReferenceData, "changed">,
  now: Date,
): Promise<string[]> {
  const seeded: string[] = [];
  if ((await prisma.gesture.count()) === 0) {
    await prisma.$transaction([
      prisma.gesture.createMany({ data: DEFAULT_GESTURES.map((g) => ({ ...g })) }),
      prisma.gestureText.createMany({ data: DEFAULT_GESTURE_TRANSLATIONS }),
    ]);
    seeded.push("gestures");
    reference.changed("gestures");
  }
  if ((await prisma.gesturePolicy.count()) === 0) {
    await prisma.gesturePolicy.createMany({ data: DEFAULT_POLICIES });
    seeded.push("policies");
    reference.changed("policies");
  }
  const period = now.toISOString().slice(0, 7);
  if (!(await prisma.budget.findUnique({ where: { period } }))) {
    await prisma.budget.create({ data: { period, limit: 10_000, currency: "EUR" } });
    seeded.push(`budget ${period}`);
    reference.changed("budgets");
  }
  if ((await prisma.templateVersion.count()) === 0) {
    const sets = new Map<string, { kind: string; channel: string; locale: string; parts: Record<string, string> }>();
    for (const t of DEFAULT_TEMPLATES) {
      const key = `${t.kind}|${t.channel}|${t.locale}`;
      const set = sets.get(key) ?? { kind: t.kind, channel: t.channel, locale: t.locale, parts: {} };
      set.parts[t.part] = t.source;
      sets.set(key, set);
    }
    await prisma.templateVersion.createMany({
      data: [...sets.values()].map((s) => ({
        id: `tpl_${crypto.randomUUID()}`,
        kind: s.kind,
        channel: s.channel,
        locale: s.locale,
        version: 1,
        subject: s.parts.subject ?? null,
        html: s.parts.html ?? null,
        text: s.parts.text ?? null,
        body: s.parts.body ?? null,
        status: "published",
        createdBy: "makegood defaults",
        publishedAt: now,
      })),
    });
    seeded.push("templates");
    reference.changed("templates");
  }
  return seeded;
}
