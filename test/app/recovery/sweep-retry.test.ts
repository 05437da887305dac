import { afterAll, beforeAll, expect, test } from "vitest";
import { sweepOverdueShipments } from "../../../src/recovery/sweep.ts";
import { type NodeWorld, startNodeWorld } from "../stories/world.ts";

/**
 * The sweep step's capability called directly, in-process (the sweep story, on Node and Workers,
 * shows the engine's cron running it): a retried step reports, not repeats, what it opened.
 */
let w: NodeWorld;
beforeAll(async () => {
  w = await startNodeWorld("2026-01-05T17:00:00Z");
});
afterAll(() => w.stop());

test("a sweep step run twice (a retry after a crash) opens nothing new and reports the same disruption", async () => {
  const put = await w.request("PUT", "/api/customers/sweep-retry", {
    name: "Grace Hopper",
    email: "sweep-retry@example.com",
    phone: "+447911123555",
    locale: "en-GB",
    timeZone: "Europe/London",
    tier: "standard",
    preferredChannel: "both",
    consent: { email: true, sms: true },
  });
  expect(put.status).toBe(200);
  // On time by the carrier's last word (15:00), and no delivery scan since: two hours overdue now.
  const sent = await w.request("POST", "/api/events", {
    id: "eta-SW-RETRY",
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T09:55:00Z",
    data: {
      orderId: "SW-RETRY",
      customerId: "sweep-retry",
      promisedBy: "2026-01-05T15:00:00Z",
      newEta: "2026-01-05T15:00:00Z",
      reason: "on schedule",
    },
  });
  expect(sent.status).toBe(202);
  await w.settle();
  const disruptions = () => w.prisma.disruption.findMany({ where: { subjectKey: "order:SW-RETRY" } });
  expect(await disruptions()).toHaveLength(0);
  // Not yet swept by the engine (its clock has not moved): the step's capability, twice, with one run id.
  const svc = w.runtime.services;
  const first = await sweepOverdueShipments(svc, "run-retry-test");
  const second = await sweepOverdueShipments(svc, "run-retry-test");
  const [d] = await disruptions();
  expect(first.opened).toEqual([d?.id]);
  expect(second.opened).toEqual([d?.id]);
  expect(await disruptions()).toHaveLength(1);
  const other = await sweepOverdueShipments(svc, "another-run");
  expect(other.opened).toEqual([]);
});
