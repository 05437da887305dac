import { afterAll, beforeAll, expect, test } from "vitest";
import type { PrismaClient } from "../../../src/db/generated/node/client.ts";
import { spentIn } from "../../../src/recovery/grant-writes.ts";
import { planGesture } from "../../../src/recovery/plan-gesture.ts";
import type { RecoveryServices } from "../../../src/recovery/services.ts";
import { seededServices } from "./seeded-services.ts";

/**
 * The grant is written by one conditional statement (src/recovery/grant-writes.ts), not inside an
 * interactive transaction: recoveries planned at the same moment all read the same spend, and the
 * statement itself must refuse what would overspend or grant a disruption twice.
 */
const NOW = new Date("2026-03-10T10:00:00Z");
let prisma: PrismaClient;
let svc: RecoveryServices;

beforeAll(async () => {
  svc = await seededServices("grants", NOW);
  prisma = svc.prisma;
});
afterAll(() => prisma.$disconnect());

async function shipmentDelay(id: string): Promise<string> {
  await prisma.customer.create({ data: { id, name: `Customer ${id}`, email: `${id}@example.com` } });
  await prisma.disruption.create({
    data: {
      id: `dis_${id}`,
      customerId: id,
      kind: "shipment_delay",
      subjectKey: `order:${id}`,
      severity: "medium",
      reason: "late",
      facts: "{}",
      signalAt: NOW,
    },
  });
  return `dis_${id}`;
}

test("recoveries planned at once never spend more than the period's budget", async () => {
  // 40 EUR left for the month; each shipment delay earns a 15 EUR credit: two fit, not six.
  await prisma.budget.update({ where: { period: "2026-03" }, data: { limit: 40 } });
  svc.reference.changed("budgets");
  const ids = await Promise.all(["b1", "b2", "b3", "b4", "b5", "b6"].map(shipmentDelay));
  const plans = await Promise.all(ids.map((id) => planGesture(svc, id)));

  const grants = await prisma.gestureGrant.findMany({ where: { disruptionId: { in: ids } } });
  expect(grants.map((g) => [g.status, Number(g.value)])).toEqual([
    ["granted", 15],
    ["granted", 15],
  ]);
  expect(
    plans
      .filter((p) => p.grantId)
      .map((p) => p.grantId)
      .sort(),
  ).toEqual(grants.map((g) => g.id).sort());
  // Every disruption has exactly one gesture decision on its timeline, with its reason.
  const lines = await prisma.timelineEntry.findMany({ where: { disruptionId: { in: ids }, type: "gesture" } });
  expect(lines).toHaveLength(6);
  expect(lines.filter((l) => l.summary === "No gesture").map((l) => l.reason)).toEqual(
    Array(4).fill(expect.stringContaining("budget has 10 EUR left")),
  );
  await prisma.budget.update({ where: { period: "2026-03" }, data: { limit: 10_000 } });
  svc.reference.changed("budgets");
});

test("the same disruption planned twice at once gets one grant, and both answers name it", async () => {
  const id = await shipmentDelay("twice");
  const [a, b] = await Promise.all([planGesture(svc, id), planGesture(svc, id)]);
  const grants = await prisma.gestureGrant.findMany({ where: { disruptionId: id } });
  expect(grants).toHaveLength(1);
  expect(a.grantId).toBe(grants[0]?.id);
  expect(b.grantId).toBe(grants[0]?.id);
  expect(await prisma.timelineEntry.count({ where: { disruptionId: id, type: "gesture" } })).toBe(1);
});

test("a month's spend (kept by triggers) equals its granted grants through every kind of write", async () => {
  const definition = async (period: string) =>
    (await prisma.gestureGrant.findMany({ where: { status: "granted" } }))
      .filter((g) => g.createdAt.toISOString().startsWith(period))
      .reduce((sum, g) => sum + Math.round(Number(g.value) * 100), 0) / 100;
  const same = async () => {
    for (const period of ["2026-03", "2026-04"])
      expect(await spentIn(prisma, period), period).toBe(await definition(period));
  };
  const grant = (id: string, status: string, value: number, createdAt = NOW) =>
    prisma.gestureGrant.create({
      data: {
        id,
        disruptionId: `dis_${id.replace("g-", "")}`,
        customerId: id.replace("g-", ""),
        gestureId: "g",
        kind: "credit",
        description: "store credit",
        value,
        currency: "EUR",
        status,
        reason: "test",
        createdAt,
      },
    });
  for (const id of ["sp1", "sp2", "sp3", "sp4"]) await shipmentDelay(id);
  await same();
  await grant("g-sp1", "granted", 12.34); // granted at once
  await grant("g-sp2", "pending_approval", 50); // waits for a manager: not spent
  await same();
  await prisma.gestureGrant.update({ where: { id: "g-sp2" }, data: { status: "granted" } }); // approved
  await same();
  await prisma.gestureGrant.update({ where: { id: "g-sp1" }, data: { value: 0.1 } }); // changed
  await prisma.gestureGrant.update({ where: { id: "g-sp2" }, data: { status: "revoked" } }); // no longer spent
  await same();
  await grant("g-sp3", "granted", 0.2, new Date("2026-04-02T00:00:00Z")); // another month
  await prisma.gestureGrant.update({ where: { id: "g-sp1" }, data: { createdAt: new Date("2026-04-01T00:00:00Z") } });
  await same();
  await grant("g-sp4", "granted", 7);
  await prisma.gestureGrant.delete({ where: { id: "g-sp4" } });
  await same();
  expect(await spentIn(prisma, "2026-04")).toBe(0.3); // whole cents: no 0.30000000000000004
});
