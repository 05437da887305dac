import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { PrismaClient } from "../../../src/db/generated/node/client.ts";
import type { RecoveryServices } from "../../../src/recovery/services.ts";
import { type CarriedSignal, decideSignals, type SendEvents } from "../../../src/recovery/signal-batch.ts";
import { seededServices } from "./seeded-services.ts";

/** How handle-signal decides a batch: each signal as alone, its recoveries started as soon as it is decided. */
const NOW = new Date("2026-03-10T10:00:00Z");
let prisma: PrismaClient;
let svc: RecoveryServices;
let file: string;

beforeAll(async () => {
  svc = await seededServices("signal-batch", NOW);
  prisma = svc.prisma;
  const [db] = (await prisma.$queryRawUnsafe("PRAGMA database_list")) as { file: string }[];
  file = db?.file as string;
});
afterAll(() => prisma.$disconnect());

/** A late order for a new known customer, stored as the API stores an accepted event. */
async function lateOrder(id: string): Promise<CarriedSignal> {
  await prisma.customer.create({ data: { id: `c-${id}`, name: `Customer ${id}`, email: `${id}@example.com` } });
  const promisedBy = new Date(NOW.getTime() + 86_400_000);
  const signal: CarriedSignal = {
    id,
    type: "shipment.eta_updated",
    occurredAt: NOW.toISOString(),
    data: {
      orderId: `o-${id}`,
      customerId: `c-${id}`,
      promisedBy: promisedBy.toISOString(),
      newEta: new Date(promisedBy.getTime() + 3 * 86_400_000).toISOString(),
    },
  };
  await prisma.inboundEvent.create({
    data: { id, type: signal.type, bodyHash: id, body: JSON.stringify(signal), occurredAt: NOW },
  });
  return signal;
}

const outcomeOf = async (id: string) =>
  (await prisma.inboundEvent.findUniqueOrThrow({ where: { id }, select: { outcome: true } })).outcome;

test("each signal's recoveries start as soon as it is decided; those decided during a send go in the next one", async () => {
  const signals = [await lateOrder("early-1"), await lateOrder("early-2"), await lateOrder("early-3")];
  const db = new Database(file, { readonly: true });
  const undecidedNow = () =>
    signals
      .filter((s) => db.prepare(`SELECT "outcome" FROM "InboundEvent" WHERE "id" = ?`).pluck().get(s.id) === null)
      .map((s) => s.id);
  const seen: { ids: string[]; undecided: string[] }[] = [];
  const send: SendEvents = async (events) => {
    seen.push({ ids: events.map((e) => e.id), undecided: undecidedNow() });
    // The first send stays under way until the others are decided (or 5 s pass, if deciding waited for it).
    for (let waited = 0; seen.length === 1 && undecidedNow().length > 0 && waited < 5000; waited += 5)
      await new Promise((resolve) => setTimeout(resolve, 5));
  };
  try {
    const { decided, failed } = await decideSignals(svc, signals, send);
    expect(failed).toEqual([]);
    const eventIds = decided.map((d) => d.outcome.opened.map((id) => `detected:${id}`));
    expect(eventIds.every((ids) => ids.length === 1)).toBe(true);
    expect(seen).toEqual([
      { ids: eventIds[0], undecided: ["early-2", "early-3"] },
      { ids: [...(eventIds[1] ?? []), ...(eventIds[2] ?? [])], undecided: [] },
    ]);
  } finally {
    db.close();
  }
});

test("a send that fails fails the step; the next try sends the same events again, deciding nothing twice", async () => {
  const signals = [await lateOrder("resend-1"), await lateOrder("resend-2")];
  const sent: string[] = [];
  let refuse = true;
  const send: SendEvents = async (events) => {
    if (refuse) throw new Error("engine unreachable");
    sent.push(...events.map((e) => e.id));
  };
  await expect(decideSignals(svc, signals, send)).rejects.toThrow("engine unreachable");
  expect(await outcomeOf("resend-1")).not.toBeNull();
  refuse = false;
  const retried = await decideSignals(svc, signals, send);
  const opened = retried.decided.flatMap((d) => d.outcome.opened);
  expect(opened).toHaveLength(2);
  expect(sent).toEqual(opened.map((id) => `detected:${id}`));
  expect(await prisma.disruption.count({ where: { customerId: { in: ["c-resend-1", "c-resend-2"] } } })).toBe(2);
});

test("alone, a signal that fails is thrown for its step to retry; in a batch it is set aside and the rest decided", async () => {
  const lone = await lateOrder("fails-alone");
  const batch = [await lateOrder("batch-ok-1"), await lateOrder("fails-in-batch"), await lateOrder("batch-ok-2")];
  const db = new Database(file);
  db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON "Disruption" WHEN NEW."customerId" LIKE 'c-fails-%'
           BEGIN SELECT RAISE(ABORT, 'refused'); END`);
  try {
    const send: SendEvents = async () => {};
    await expect(decideSignals(svc, [lone], send)).rejects.toThrow();
    const { decided, failed } = await decideSignals(svc, batch, send);
    expect(failed.map((s) => s.id)).toEqual(["fails-in-batch"]);
    expect(decided.map((d) => d.signal.id)).toEqual(["batch-ok-1", "batch-ok-2"]);
    expect(await outcomeOf("fails-in-batch")).toBeNull();
  } finally {
    db.exec("DROP TRIGGER refuse");
    db.close();
  }
});

test("a batch gives the thread's other work a turn between its signals", async () => {
  const signals = [await lateOrder("turns-1"), await lateOrder("turns-2"), await lateOrder("turns-3")];
  let turns = 0;
  let deciding = true;
  const other = () => {
    turns++;
    if (deciding) setImmediate(other);
  };
  setImmediate(other);
  const decidedAt: number[] = [];
  await decideSignals(svc, signals, async () => {
    decidedAt.push(turns);
  });
  deciding = false;
  // Deciding is synchronous SQLite under promises: without a yield, no other task would run until the batch ends.
  expect(decidedAt[1]).toBeGreaterThan(decidedAt[0] ?? Number.POSITIVE_INFINITY);
  expect(decidedAt[2]).toBeGreaterThan(decidedAt[1] ?? Number.POSITIVE_INFINITY);
});
