import { afterAll, beforeAll, expect, test } from "vitest";
import { claimFollowUpOnResolution, promiseFollowUp } from "../../../src/recovery/follow-up-claim.ts";
import type { RecoveryServices } from "../../../src/recovery/services.ts";
import { seededServices } from "./seeded-services.ts";

/** Whichever of the recovery's promise and the resolution comes second sends the follow-up: exactly one, retries included. */
const NOW = new Date("2026-03-10T10:00:00Z");
let svc: RecoveryServices;

beforeAll(async () => {
  svc = await seededServices("follow-up-claim", NOW);
});
afterAll(() => svc.prisma.$disconnect());

async function disruption(id: string) {
  await svc.prisma.customer.create({ data: { id: `c-${id}`, name: "Ada", email: `${id}@example.com` } });
  await svc.prisma.disruption.create({
    data: {
      id,
      customerId: `c-${id}`,
      kind: "shipment_delay",
      subjectKey: `order:${id}`,
      severity: "minor",
      reason: "late",
      facts: "{}",
      signalAt: NOW,
      status: "notified",
    },
  });
}
const resolve = (id: string) => svc.prisma.disruption.update({ where: { id }, data: { status: "resolved" } });
const followUpBy = async (id: string) => (await svc.prisma.disruption.findUniqueOrThrow({ where: { id } })).followUpBy;

test("promised, then resolved: the resolution's run sends it; retries of either side change nothing", async () => {
  await disruption("promised-first");
  const promise = await promiseFollowUp(svc, "promised-first");
  expect(promise.followUpNow).toBe(false);
  expect(Date.parse(promise.at)).toBe(NOW.getTime() + 72 * 3_600_000);
  expect(await claimFollowUpOnResolution(svc, "promised-first")).toBe(false); // not resolved yet
  await resolve("promised-first");
  expect(await claimFollowUpOnResolution(svc, "promised-first")).toBe(true);
  expect(await claimFollowUpOnResolution(svc, "promised-first")).toBe(true); // its own retry
  expect((await promiseFollowUp(svc, "promised-first")).followUpNow).toBe(false); // the recovery's retry
  expect(await followUpBy("promised-first")).toBe("resolution");
});

test("resolved, then promised: the recovery sends it; the resolution's run, before or after, does not", async () => {
  await disruption("resolved-first");
  await resolve("resolved-first");
  expect(await claimFollowUpOnResolution(svc, "resolved-first")).toBe(false); // nothing promised yet
  expect((await promiseFollowUp(svc, "resolved-first")).followUpNow).toBe(true);
  expect(await claimFollowUpOnResolution(svc, "resolved-first")).toBe(false); // a late or repeated resolution run
  expect((await promiseFollowUp(svc, "resolved-first")).followUpNow).toBe(true); // the recovery's retry
  expect(await followUpBy("resolved-first")).toBe("recovery");
});

test("the promised time is kept from the first promise", async () => {
  await disruption("kept-time");
  const first = await promiseFollowUp(svc, "kept-time");
  const later = await promiseFollowUp({ ...svc, now: () => new Date(NOW.getTime() + 3_600_000) }, "kept-time");
  expect(later.at).toBe(first.at);
});
