import { afterAll, beforeAll, expect, test } from "vitest";
import { startWorkersWorld } from "./world.ts";

/**
 * The Worker's Cron Trigger does what the Node process does on a timer: an accepted event whose
 * hand-off to the engine failed, and that the client never sent again, is handed over by the next
 * scheduled run (older than half a minute), recovered once, and never handed over twice.
 */
let w: Awaited<ReturnType<typeof startWorkersWorld>>;
beforeAll(async () => {
  // 15:00 UTC is 10:00 in New York: inside the SMS window.
  w = await startWorkersWorld("2026-01-05T15:00:00Z");
  const put = await w.request("PUT", "/api/customers/c-stranded", {
    name: "Ada Lovelace",
    email: "stranded@example.com",
    phone: "+12125550177",
    locale: "en-US",
    timeZone: "America/New_York",
    tier: "standard",
    preferredChannel: "both",
    consent: { email: true, sms: true },
  });
  expect(put.status).toBe(200);
});
afterAll(() => w?.stop());

const stored = () => w.prisma.inboundEvent.findUniqueOrThrow({ where: { id: "carrier-stranded-1" } });
const apologies = () =>
  w.prisma.message.count({ where: { customerId: "c-stranded", purpose: "apology", channel: "email" } });

test("an event stored while the engine was unreachable is handed over by the Cron Trigger and recovered, once", async () => {
  w.engineUnreachable(true);
  const posted = await w.request("POST", "/api/events", {
    id: "carrier-stranded-1",
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T14:58:00Z",
    data: {
      orderId: "A-STRANDED",
      customerId: "c-stranded",
      promisedBy: "2026-01-06T18:00:00Z",
      newEta: "2026-01-09T12:00:00Z",
    },
  });
  w.engineUnreachable(false);
  // Stored but not handed over; the client gives up (never retries).
  expect(posted.status).toBe(503);
  expect((await stored()).dispatchedAt).toBeNull();
  await w.settle();
  expect(await apologies()).toBe(0);

  // A run within half a minute of the event leaves it alone: its request may still be handing it over.
  expect(await w.scheduled()).toEqual({ status: 200, outcome: "ok" });
  await w.settle();
  expect((await stored()).dispatchedAt).toBeNull();

  // The next minute's run hands it over; the engine runs its recovery.
  await w.advance(60_000);
  expect(await w.scheduled()).toEqual({ status: 200, outcome: "ok" });
  expect((await stored()).dispatchedAt).toEqual(new Date(w.clock.now()));
  await w.settle();
  expect(await apologies()).toBe(1);
  expect(w.resend.deliveries.filter((d) => JSON.stringify(d.to).includes("stranded@example.com"))).toHaveLength(1);
  expect(await w.prisma.disruption.count({ where: { customerId: "c-stranded" } })).toBe(1);

  // Later runs find nothing stranded: nothing is handed over or sent again.
  await w.advance(60_000);
  expect(await w.scheduled()).toEqual({ status: 200, outcome: "ok" });
  await w.settle();
  expect(await apologies()).toBe(1);
  expect(await w.prisma.disruption.count({ where: { customerId: "c-stranded" } })).toBe(1);
});
