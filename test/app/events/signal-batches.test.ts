import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type NodeWorld, putCustomer, startNodeWorld } from "../stories/world.ts";

/**
 * Events accepted together reach the engine as one batch event, decided in one handle-signal run
 * (one call to the functions, not one a signal). Each signal must come out as if it were alone,
 * and one that fails must hold up none of the others.
 */
let w: NodeWorld;
let dbFile: string;
beforeAll(async () => {
  w = await startNodeWorld("2026-01-05T10:00:00Z");
  dbFile = w.databaseFile;
});
afterAll(() => w.stop());

const customer = (id: string) =>
  putCustomer(w, id, {
    name: `Customer ${id}`,
    phone: undefined,
    preferredChannel: "email",
    consent: { email: true, sms: false },
  });

const eta = (id: string, customerId: string) => ({
  id,
  type: "shipment.eta_updated",
  occurredAt: "2026-01-05T09:50:00Z",
  data: {
    orderId: `ord-${id}`,
    customerId,
    promisedBy: "2026-01-06T18:00:00Z",
    newEta: "2026-01-08T12:00:00Z",
    reason: "a missed connection at the hub",
  },
});
const delivered = (id: string, orderId: string) => ({
  id,
  type: "shipment.delivered",
  occurredAt: "2026-01-05T09:55:00Z",
  data: { orderId, deliveredAt: "2026-01-05T09:54:00Z" },
});

const emailsTo = (customerId: string) => w.resend.deliveries.filter((d) => d.to.includes(`${customerId}@example.com`));
const outcomeOf = async (id: string) => {
  const row = await w.prisma.inboundEvent.findUniqueOrThrow({ where: { id }, select: { outcome: true } });
  return row.outcome === null ? null : (JSON.parse(row.outcome) as { opened: string[]; ignored: unknown[] });
};
const handleSignalRuns = () => w.engine.inspect.runs({ functionId: "makegood-handle-signal", limit: 500 }).runs;

describe("signals accepted together", () => {
  test("are decided in one run, each as if alone: every late order apologised once, the rest explained", async () => {
    await customer("batch-a");
    await customer("batch-b");
    const runsBefore = handleSignalRuns().length;
    const events = [eta("b-eta-a", "batch-a"), delivered("b-dlv-x", "ord-nothing-open"), eta("b-eta-b", "batch-b")];
    const accepted = await w.request("POST", "/api/events", { events });
    expect(accepted.status).toBe(202);
    await w.settle();

    const runs = handleSignalRuns().slice(0, handleSignalRuns().length - runsBefore);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "completed", output: { decided: 3, opened: 2, handedOff: [] } });
    for (const id of ["b-eta-a", "b-eta-b"]) expect((await outcomeOf(id))?.opened).toHaveLength(1);
    expect(await outcomeOf("b-dlv-x")).toMatchObject({ opened: [], ignored: [{ reason: "nothing_open" }] });
    for (const c of ["batch-a", "batch-b"]) {
      expect(emailsTo(c)).toHaveLength(1);
      expect(emailsTo(c)[0]?.subject).toContain(`ord-b-eta-${c.slice(-1)}`);
    }
  });

  test("one that fails holds up none of the others, and is retried in a run of its own until it is decided", async () => {
    for (const c of ["fail-a", "fail-boom", "fail-c"]) await customer(c);
    // A real failure inside SQLite, for this customer's disruption only.
    const db = new Database(dbFile);
    db.exec(`CREATE TRIGGER boom BEFORE INSERT ON "Disruption" WHEN NEW."customerId" = 'fail-boom'
             BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    try {
      const events = [eta("f-eta-a", "fail-a"), eta("f-eta-boom", "fail-boom"), eta("f-eta-c", "fail-c")];
      expect((await w.request("POST", "/api/events", { events })).status).toBe(202);
      await w.settle();

      expect(emailsTo("fail-a")).toHaveLength(1);
      expect(emailsTo("fail-c")).toHaveLength(1);
      expect(emailsTo("fail-boom")).toHaveLength(0);
      expect(await outcomeOf("f-eta-boom")).toBeNull();
      const batchRun = handleSignalRuns().find((r) => (r.output as { handedOff?: string[] })?.handedOff?.length);
      expect(batchRun).toMatchObject({ status: "completed", output: { decided: 2, handedOff: ["f-eta-boom"] } });
    } finally {
      db.exec("DROP TRIGGER boom");
      db.close();
    }
    // Its own run failed its first attempt; the engine's retry (15 s on) decides it now the fault is gone.
    await w.advance(20_000);
    expect((await outcomeOf("f-eta-boom"))?.opened).toHaveLength(1);
    expect(emailsTo("fail-boom")).toHaveLength(1);
    expect(emailsTo("fail-a")).toHaveLength(1);
  });
});
