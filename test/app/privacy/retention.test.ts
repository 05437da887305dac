/** Retention: message contents, outbox rows and event payloads past RETENTION_DAYS are purged; nothing else. */
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { daytimeZone } from "../../../bench/lib/customers.ts";
import { ConfigError, loadConfig } from "../../../src/config.ts";
import { PURGED_BODY, purgeExpiredContent } from "../../../src/privacy/retention.ts";
import { call, customer, etaUpdated, startRuntime } from "../events/harness.ts";
import { startNodeWorld } from "../stories/world.ts";

let env: Awaited<ReturnType<typeof startRuntime>>;
beforeAll(async () => {
  env = await startRuntime();
}, 60_000);
afterAll(() => env.stop());

const DAY = 86_400_000;

async function recovery(customerId: string, eventId: string) {
  expect(
    // A zone where it is daytime now (real clock): in quiet hours the SMS would wait for the morning.
    (
      await call(
        env.runtime,
        "PUT",
        `/api/customers/${customerId}`,
        { ...customer(), timeZone: daytimeZone() },
        { key: env.keys["customers:write"] },
      )
    ).status,
  ).toBe(200);
  expect(
    (await call(env.runtime, "POST", "/api/events", etaUpdated(eventId, customerId), { key: env.keys["events:write"] }))
      .status,
  ).toBe(202);
}

test("contents older than the retention are purged, newer ones and every count stay; a second run changes nothing", async () => {
  const { prisma } = env.runtime;
  await recovery("ret-old", "ret-evt-old");
  await recovery("ret-new", "ret-evt-new");
  await env.runtime.engine?.drain();
  const now = new Date();
  const old = new Date(now.getTime() - 40 * DAY);
  expect(await prisma.message.count({ where: { customerId: "ret-old" } })).toBeGreaterThan(0);
  await prisma.message.updateMany({ where: { customerId: "ret-old" }, data: { createdAt: old } });
  await prisma.inboundEvent.update({ where: { id: "ret-evt-old" }, data: { receivedAt: old } });
  const oldKeys = (await prisma.message.findMany({ where: { customerId: "ret-old" } })).map((m) => m.idempotencyKey);
  await prisma.outboxEntry.updateMany({ where: { idempotencyKey: { in: oldKeys } }, data: { createdAt: old } });
  const metricsBefore = await (
    await call(env.runtime, "GET", "/api/metrics", undefined, { key: env.keys.read })
  ).json();

  const report = await purgeExpiredContent(prisma, now, 30, { page: 2 });
  expect(report.messages).toBe(oldKeys.length);
  expect(report.outboxEntries).toBe(oldKeys.length);
  expect(report.events).toBe(1);

  for (const m of await prisma.message.findMany({ where: { customerId: "ret-old" } })) {
    expect([m.subject, m.html, m.text, m.body]).toEqual([null, null, null, null]);
    expect(m.status).toBe("sent");
  }
  for (const m of await prisma.message.findMany({ where: { customerId: "ret-new" } }))
    expect(m.text ?? m.body).toContain("ord-ret-evt-new");
  expect((await prisma.inboundEvent.findUniqueOrThrow({ where: { id: "ret-evt-old" } })).body).toBe(PURGED_BODY);
  expect((await prisma.inboundEvent.findUniqueOrThrow({ where: { id: "ret-evt-new" } })).body).toContain("ret-new");
  expect(await prisma.outboxEntry.count({ where: { idempotencyKey: { in: oldKeys } } })).toBe(0);
  expect(await (await call(env.runtime, "GET", "/api/metrics", undefined, { key: env.keys.read })).json()).toEqual(
    metricsBefore,
  );
  // The outcome of the purged event is still answered.
  expect((await call(env.runtime, "GET", "/api/events/ret-evt-old", undefined, { key: env.keys.read })).status).toBe(
    200,
  );

  expect(await purgeExpiredContent(prisma, now, 30)).toMatchObject({ messages: 0, outboxEntries: 0, events: 0 });
});

test("RETENTION_DAYS is checked at start: a whole number of days, longer than a held event's wait", () => {
  expect(loadConfig({ RETENTION_DAYS: "90" }).RETENTION_DAYS).toBe(90);
  expect(() => loadConfig({ RETENTION_DAYS: "0" })).toThrow(/RETENTION_DAYS/);
  expect(() => loadConfig({ RETENTION_DAYS: "1", UNKNOWN_CUSTOMER_HOLD_HOURS: "48" })).toThrow(ConfigError);
});

test("RETENTION_DAYS purges the embedded engine's finished runs too, not those still running", async () => {
  const w = await startNodeWorld("2026-01-05T15:00:00Z", { RETENTION_DAYS: "3" });
  try {
    const engine = new Database(w.engineFile, { readonly: true });
    const runs = () => engine.prepare(`SELECT status, count(*) AS n FROM engine_runs GROUP BY status`).all();
    expect((await w.request("PUT", "/api/customers/ret-engine", customer())).status).toBe(200);
    expect((await w.request("POST", "/api/events", etaUpdated("ret-engine-evt", "ret-engine"))).status).toBe(202);
    await w.settle();
    const before = runs() as Array<{ status: string; n: number }>;
    expect(before.find((r) => r.status === "completed")?.n).toBeGreaterThan(0);
    const waiting = before.find((r) => r.status === "running")?.n ?? 0;
    await w.clock.set(w.clock.now() + 10 * DAY);
    await w.runtime.purgeEngineHistory();
    expect(runs()).toEqual(waiting ? [{ status: "running", n: waiting }] : []);
    engine.close();
  } finally {
    await w.stop();
  }
});
