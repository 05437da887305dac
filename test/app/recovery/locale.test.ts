import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { PrismaClient } from "../../../src/db/generated/node/client.ts";
import { applyMigrations, loadMigrationFiles } from "../../../src/db/migrate.ts";
import { createNodePrisma, MIGRATIONS_DIR, openSqlite } from "../../../src/db/sqlite.ts";
import type { Logger } from "../../../src/engine/types.ts";
import { DEFAULT_GESTURE_TEXTS } from "../../../src/locale/gesture-texts.ts";
import { DEFAULT_GESTURES } from "../../../src/recovery/defaults.ts";
import { composeMessages, loadDisruption } from "../../../src/recovery/messages.ts";
import type { RecoveryServices } from "../../../src/recovery/services.ts";
import { seededServices } from "./seeded-services.ts";

/** One language per message, against a real database: catalog translations, and the send-time locale check. */
const NOW = new Date("2026-03-10T10:00:00Z");
let prisma: PrismaClient;
let svc: RecoveryServices;
const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
const logger: Logger = { info() {}, error() {}, warn: (m, f) => warnings.push([m, f]) };

beforeAll(async () => {
  svc = await seededServices("locale", NOW, {
    logger,
    email: { send: async () => ({ provider: "outbox", providerId: "e" }) },
    sms: { send: async () => ({ provider: "outbox", providerId: "s" }) },
  });
  prisma = svc.prisma;
});
afterAll(() => prisma.$disconnect());

async function flightDisruption(id: string, locale: string) {
  await prisma.customer.create({
    data: { id, name: `Camille ${id}`, email: `${id}@example.com`, locale, timeZone: "Europe/Paris" },
  });
  const facts = {
    flightNumber: "MG304",
    date: "2026-03-10",
    status: "cancelled",
    reason: "a crew shortage",
    reasonCode: "crew_shortage",
    origin: "LGW",
    departsAt: "2026-03-10T14:15:00Z",
    bookingRef: `B${id}`,
    rebookedFlight: null,
  };
  await prisma.disruption.create({
    data: {
      id: `dis_${id}`,
      customerId: id,
      kind: "flight_cancelled",
      subjectKey: `booking:${id}`,
      severity: "high",
      reason: "cancelled",
      facts: JSON.stringify(facts),
      signalAt: NOW,
    },
  });
  const g = DEFAULT_GESTURES.find((x) => x.id === "meal-voucher-50");
  await prisma.gestureGrant.create({
    data: {
      id: `grant_${id}`,
      disruptionId: `dis_${id}`,
      customerId: id,
      gestureId: "meal-voucher-50",
      kind: "voucher",
      description: g?.description ?? "",
      value: 50,
      currency: "EUR",
      code: `MEAL-${id}`,
      status: "granted",
      reason: "policy",
    },
  });
  return loadDisruption(svc, `dis_${id}`);
}

test("a French customer reads the catalog's French texts and the reason code's phrase, and nothing is flagged", async () => {
  const d = await flightDisruption("fr1", "fr-FR");
  const [email] = await composeMessages(svc, d, "apology", "run-fr1", "email");
  const row = await prisma.message.findUniqueOrThrow({ where: { id: email?.id } });
  expect(row.text).toContain(DEFAULT_GESTURE_TEXTS["meal-voucher-50"]?.fr.description);
  expect(row.text).toContain(DEFAULT_GESTURE_TEXTS["meal-voucher-50"]?.fr.howToUse);
  expect(row.text).toContain("un manque d'équipage");
  expect(row.text).toContain("Londres-Gatwick");
  expect(row.text).not.toMatch(/meal voucher|crew shortage|Show the code/);
  expect(row.localeWarning).toBeNull();
});

test("without a German translation the catalog's English is used, and the message is flagged, logged and still composed", async () => {
  await prisma.gestureText.delete({ where: { gestureId_language: { gestureId: "meal-voucher-50", language: "de" } } });
  svc.reference.changed("gestures");
  const d = await flightDisruption("de1", "de-DE");
  const [email] = await composeMessages(svc, d, "apology", "run-de1", "email");
  const row = await prisma.message.findUniqueOrThrow({ where: { id: email?.id } });
  expect(row.text).toContain("Show the code at any cafe");
  expect(row.status).toBe("queued");
  expect(row.localeWarning).toMatch(/looks partly English/);
  expect(warnings.some(([, f]) => f?.messageId === row.id)).toBe(true);
  const timeline = await prisma.timelineEntry.findMany({ where: { disruptionId: "dis_de1" } });
  expect(timeline.map((t) => t.summary)).toContain("Email apology not all in German");
});

test("an existing install: old default descriptions read right, and its default gestures gain their translations", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "makegood-locale-mig-")), "makegood.db");
  const all = loadMigrationFiles(MIGRATIONS_DIR);
  const before = all.filter((m) => m.name < "0009");
  const db = openSqlite(file);
  applyMigrations(db, before);
  const insert = db.prepare(
    `INSERT INTO "Gesture" ("id", "kind", "name", "description", "howToUse", "value", "currency") VALUES (?, ?, ?, ?, ?, ?, 'EUR')`,
  );
  insert.run(
    "meal-voucher-50",
    "voucher",
    "Meal voucher (50)",
    "meal voucher",
    "Show the code at any cafe or restaurant in the airport today.",
    50,
  );
  insert.run(
    "credit-15",
    "credit",
    "Credit (15)",
    "a 15 EUR credit on your next order",
    "It is applied at checkout when you enter the code.",
    15,
  );
  // a manager's own wording is theirs: neither reworded nor translated
  insert.run("insights-session", "free_session", "Session", "a strategy workshop", null, 400);
  applyMigrations(db, all);
  db.close();
  const migrated = createNodePrisma(file);
  try {
    const gestures = await migrated.gesture.findMany({ include: { texts: true }, orderBy: { id: "asc" } });
    const byId = new Map(gestures.map((g) => [g.id, g]));
    expect(byId.get("meal-voucher-50")?.description).toBe("a meal voucher");
    expect(byId.get("credit-15")?.description).toBe("a credit on your next order");
    expect(byId.get("insights-session")?.description).toBe("a strategy workshop");
    expect(byId.get("insights-session")?.texts).toEqual([]);
    for (const id of ["meal-voucher-50", "credit-15"])
      for (const lang of ["fr", "de"] as const) {
        const t = byId.get(id)?.texts.find((x) => x.language === lang);
        const want = DEFAULT_GESTURE_TEXTS[id]?.[lang];
        expect({ name: t?.name, description: t?.description, howToUse: t?.howToUse }, `${id} ${lang}`).toEqual(want);
      }
  } finally {
    await migrated.$disconnect();
  }
});
