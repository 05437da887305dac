import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { PrismaClient } from "../../../src/db/generated/node/client.ts";
import { openMigratedPrisma } from "../../../src/db/sqlite.ts";
import { seedDefaults } from "../../../src/recovery/defaults.ts";
import { cachedReferenceData, uncachedReferenceData } from "../../../src/recovery/reference-data.ts";

let prisma: PrismaClient;
const statements: string[] = [];
const countDuring = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> => {
  const before = statements.length;
  const result = await work();
  return { result, statements: statements.length - before };
};

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), "makegood-reference-")), "makegood.db");
  prisma = openMigratedPrisma(file, (sql) => statements.push(sql)).prisma;
  await seedDefaults(prisma, { changed: () => {} }, new Date("2026-03-10T10:00:00Z"));
});
afterAll(() => prisma.$disconnect());

test("each part is read once, then served from memory until it is changed", async () => {
  const reference = cachedReferenceData(prisma);
  const first = await countDuring(() => reference.gestures());
  expect(first.statements).toBe(2); // the catalog and its translations
  expect(
    first.result
      .find((g) => g.id === "credit-15")
      ?.texts.map((t) => t.language)
      .sort(),
  ).toEqual(["de", "fr"]);
  expect(first.result.map((g) => g.id)).toContain("credit-15");
  const again = await countDuring(async () => [
    await reference.gestures(),
    await reference.gestures(),
    (await reference.gestures()).length,
  ]);
  expect(again.statements).toBe(0);

  await prisma.gesture.update({ where: { id: "credit-15" }, data: { howToUse: "Enter the code at checkout." } });
  // Unannounced, the change is not seen: every writer must call changed().
  expect((await reference.gestures()).find((g) => g.id === "credit-15")?.howToUse).not.toBe(
    "Enter the code at checkout.",
  );
  reference.changed("policies"); // another part: gestures stay held
  expect((await countDuring(() => reference.gestures())).statements).toBe(0);
  reference.changed("gestures");
  const reread = await countDuring(() => reference.gestures());
  expect(reread.statements).toBe(2);
  expect(reread.result.find((g) => g.id === "credit-15")?.howToUse).toBe("Enter the code at checkout.");
});

test("a read started after a change never gets what a load begun before it found", async () => {
  const reference = cachedReferenceData(prisma);
  await reference.setting("recovery.gestureCapPer30Days");
  reference.changed("settings");
  const inFlight = reference.setting("recovery.gestureCapPer30Days"); // loading, not yet answered
  await prisma.setting.create({ data: { key: "recovery.gestureCapPer30Days", value: "7" } });
  reference.changed("settings");
  const after = reference.setting("recovery.gestureCapPer30Days");
  await inFlight; // may or may not see the row: it began before the change was announced
  expect(await after).toBe("7");
  await prisma.setting.delete({ where: { key: "recovery.gestureCapPer30Days" } });
});

test("budgets by period, settings by key, the highest published template among the locales", async () => {
  const reference = cachedReferenceData(prisma);
  expect(await reference.budget("2026-03")).toMatchObject({ period: "2026-03", currency: "EUR" });
  expect(await reference.budget("2026-04")).toBeNull();
  const sms = await reference.publishedTemplate("shipment_delay", "sms", ["en-GB", "en"]);
  expect(sms).toMatchObject({ kind: "shipment_delay", channel: "sms", locale: "en", version: 1 });
  expect(await reference.publishedTemplate("shipment_delay", "sms", ["xx"])).toBeNull();
  await prisma.templateVersion.create({
    data: { id: "tpl_draft", kind: "shipment_delay", channel: "sms", locale: "en", version: 2, body: "draft" },
  });
  reference.changed("templates");
  expect(await reference.publishedTemplate("shipment_delay", "sms", ["en-GB", "en"])).toMatchObject({ version: 1 });
});

test("a failed load is not kept: the next read tries again", async () => {
  let fail = true;
  const flaky = new Proxy(prisma, {
    get(target, prop, receiver) {
      if (prop === "gesturePolicy" && fail) {
        fail = false;
        return { findMany: () => Promise.reject(new Error("database is locked")) };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  const reference = cachedReferenceData(flaky);
  await expect(reference.policies()).rejects.toThrow("database is locked");
  expect((await reference.policies()).length).toBeGreaterThan(0);
});

test("the uncached variant (Workers) reads every time", async () => {
  const reference = uncachedReferenceData(prisma);
  const reads = await countDuring(async () => {
    await reference.policies();
    await reference.policies();
  });
  expect(reads.statements).toBe(2);
});
