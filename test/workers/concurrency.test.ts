import { afterAll, beforeAll, expect, test } from "vitest";
import { startWorkersWorld } from "./world.ts";

/**
 * makegood under `wrangler dev` on local D1, many requests at once. Requests share no state in the
 * worker (each builds its own Prisma client), and D1 runs a Prisma batch statement by statement:
 * what this shows is that the guards still hold there.
 */
let w: Awaited<ReturnType<typeof startWorkersWorld>>;
const CUSTOMERS = 50;
const ids = Array.from({ length: CUSTOMERS }, (_, i) => `cust-c${i}`);

beforeAll(async () => {
  // 15:00 UTC is 10:00 in New York: inside the SMS window.
  w = await startWorkersWorld("2026-01-05T15:00:00Z");
  const puts = await Promise.all(
    ids.map((id, i) =>
      w.request("PUT", `/api/customers/${id}`, {
        name: `Customer ${i}`,
        email: `c${i}@example.com`,
        phone: `+121255501${String(i).padStart(2, "0")}`,
        locale: "en-US",
        timeZone: "America/New_York",
        tier: "standard",
        preferredChannel: "email",
        consent: { email: true, sms: true },
      }),
    ),
  );
  expect(puts.map((p) => p.status)).toEqual(ids.map(() => 200));
});
afterAll(() => w?.stop());

const eta = (i: number, n: 1 | 2) => ({
  id: `carrier-ORD-C${i}-eta-${n}`,
  type: "shipment.eta_updated",
  occurredAt: `2026-01-05T14:5${n}:00Z`,
  data: {
    orderId: `ORD-C${i}`,
    customerId: `cust-c${i}`,
    promisedBy: "2026-01-06T18:00:00Z",
    newEta: n === 1 ? "2026-01-08T16:00:00Z" : "2026-01-09T16:00:00Z",
    carrier: "ParcelCo",
    important: false,
  },
});

test("100 concurrent event POSTs and 100 concurrent reads all answer correctly; racing signals for one order open one disruption; 50 recoveries racing for the last of a budget never overspend it", async () => {
  // Room in this month's budget for 10 credits of 15, whoever gets there first.
  const period = "2026-01";
  await w.prisma.budget.update({ where: { period }, data: { limit: 150 } });

  const [posts, reads] = await Promise.all([
    Promise.all(ids.flatMap((_, i) => [eta(i, 1), eta(i, 2)]).map((e) => w.request("POST", "/api/events", e))),
    Promise.all(ids.flatMap((id) => [id, id]).map((id) => w.request("GET", `/api/customers/${id}`))),
  ]);
  expect(posts.map((p) => p.status)).toEqual(posts.map(() => 202));
  expect(posts.every((p) => (p.body.accepted as string[]).length === 1)).toBe(true);
  expect(reads.map((r) => r.status)).toEqual(reads.map(() => 200));
  expect(reads.map((r) => r.body.id)).toEqual(ids.flatMap((id) => [id, id]));

  await w.settle();
  // A step that lost its races five times, or met a busy D1, is retried after a backoff (15 s and up),
  // as an Inngest server would: let those retries run before judging.
  await w.advance(5 * 60_000);

  // Every event decided, and what each outcome names exists: a racer that lost left nothing half-written.
  const inbound = await w.prisma.inboundEvent.findMany();
  expect(inbound).toHaveLength(2 * CUSTOMERS);
  const disruptions = await w.prisma.disruption.findMany({ include: { grants: true } });
  const known = new Set(disruptions.map((d) => d.id));
  for (const row of inbound) {
    expect(row.outcome, row.id).not.toBeNull();
    const outcome = JSON.parse(row.outcome as string) as { opened: string[]; updated: string[] };
    for (const id of [...outcome.opened, ...outcome.updated]) expect(known.has(id), `${row.id} names ${id}`).toBe(true);
  }
  // One recovery per order, whichever of its two events came first; one apology each.
  const open = disruptions.filter((d) => d.status !== "superseded");
  expect(open.map((d) => d.subjectKey).sort()).toEqual(ids.map((_, i) => `order:ORD-C${i}`).sort());
  for (let i = 0; i < CUSTOMERS; i++)
    expect(w.resend.deliveries.filter((m) => JSON.stringify(m.to).includes(`c${i}@example.com`)).length).toBe(1);
  const timelineOrphans = await w.prisma.timelineEntry.count({ where: { disruptionId: { notIn: [...known] } } });
  expect(timelineOrphans).toBe(0);

  // The budget: exactly the 10 credits that fit were granted, never an 11th.
  const granted = disruptions.flatMap((d) => d.grants).filter((g) => g.status === "granted" && g.currency === "EUR");
  const spent = granted.reduce((sum, g) => sum + Number(g.value), 0);
  expect(spent).toBeLessThanOrEqual(150);
  expect(granted).toHaveLength(10);
});
