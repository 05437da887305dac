/**
 * Erasing a customer: after DELETE /api/customers/{id}, no table holds their name, email or
 * phone; the metrics count the same; a recovery still running does not write to them (and
 * does not crash); erasing again changes nothing. Export gives everything held before.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiKey } from "../../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../../src/auth/prisma-key-store.ts";
import { HOUR, type NodeWorld, startNodeWorld } from "../stories/world.ts";

let w: NodeWorld;
let admin: string;
beforeAll(async () => {
  // 15:00 UTC: inside the SMS window in London and New York.
  w = await startNodeWorld("2026-01-05T15:00:00Z");
  admin = (await createApiKey(prismaApiKeyStore(w.prisma), "privacy desk", ["admin"])).secret;
});
afterAll(() => w.stop());

const asAdmin = async (method: string, path: string) => {
  const r = await w.runtime.app.request(path, { method, headers: { authorization: `Bearer ${admin}` } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

// Not the demo customers' names or numbers (DEMO_DATA seeds an "Ada Lovelace" too).
const ADA = { id: "cus-ada", name: "Augusta Byron", email: "augusta.byron@example.com", phone: "+447911123987" };
const GRACE = { id: "cus-grace", name: "Grace Hopper", email: "grace.hopper@example.com", phone: "+12125550123" };
const person = (p: typeof ADA, tz: string) => ({
  name: p.name,
  email: p.email,
  phone: p.phone,
  locale: "en-GB",
  timeZone: tz,
  tier: "valued",
  preferredChannel: "both",
  consent: { email: true, sms: true },
});

/** Every text value in every table of makegood's database that contains one of `needles`. */
async function whereFound(needles: string[]): Promise<string[]> {
  const tables = await w.prisma.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const rows = await w.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT * FROM "${name}"`);
    for (const row of rows)
      for (const [column, value] of Object.entries(row))
        if (typeof value === "string")
          for (const needle of needles) if (value.includes(needle)) found.push(`${name}.${column}: ${needle}`);
  }
  return found;
}

/** The same search in the embedded engine's own store: event payloads, run inputs and outputs, step results. */
function whereFoundInEngine(needles: string[]): string[] {
  const db = new Database(w.engineFile, { readonly: true });
  try {
    const found: string[] = [];
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'engine_%'`)
      .pluck()
      .all();
    for (const name of tables as string[])
      for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>)
        for (const [column, value] of Object.entries(row))
          if (typeof value === "string")
            for (const needle of needles) if (value.includes(needle)) found.push(`${name}.${column}: ${needle}`);
    return found;
  } finally {
    db.close();
  }
}

async function story() {
  for (const [p, tz] of [
    [ADA, "Europe/London"],
    [GRACE, "America/New_York"],
  ] as const)
    expect((await w.request("PUT", `/api/customers/${p.id}`, person(p, tz))).status).toBe(200);
  // Ada complains first, then her parcel is late; a flight carries both of them.
  const events = [
    {
      id: "desk-1",
      type: "customer.complaint_received",
      occurredAt: "2026-01-05T14:50:00Z",
      data: {
        customerId: ADA.id,
        reference: "ORD-1",
        channel: "email",
        receivedAt: "2026-01-05T14:49:00Z",
        text: "This is Augusta Byron, write to augusta.byron@example.com: where is my parcel?",
      },
    },
    {
      id: "carrier-1",
      type: "shipment.eta_updated",
      occurredAt: "2026-01-05T14:58:00Z",
      data: {
        orderId: "ORD-1",
        customerId: ADA.id,
        promisedBy: "2026-01-06T18:00:00Z",
        newEta: "2026-01-09T16:00:00Z",
        carrier: "ParcelCo",
        reason: "a storm closed the carrier's hub",
      },
    },
    {
      id: "ops-1",
      type: "flight.status_changed",
      occurredAt: "2026-01-05T14:59:00Z",
      data: {
        flightNumber: "BA123",
        date: "2026-01-06",
        status: "cancelled",
        bookings: [
          { bookingRef: "ADA001", customerId: ADA.id, customer: person(ADA, "Europe/London") },
          { bookingRef: "GRC001", customerId: GRACE.id, customer: person(GRACE, "America/New_York") },
        ],
      },
    },
  ];
  for (const e of events) expect((await w.request("POST", "/api/events", e)).status).toBe(202);
  await w.settle();
  await w.advance(2 * HOUR);
  const delivered = await w.request("POST", "/api/events", {
    id: "carrier-2",
    type: "shipment.delivered",
    occurredAt: "2026-01-05T16:30:00Z",
    data: { orderId: "ORD-1", deliveredAt: "2026-01-05T16:25:00Z" },
  });
  expect(delivered.status).toBe(202);
  await w.settle();
  // A bounce report naming the address, as a provider may send it.
  const message = await w.prisma.message.findFirstOrThrow({ where: { customerId: ADA.id, channel: "email" } });
  await w.prisma.deliveryEvent.create({
    data: {
      id: "dev-1",
      messageId: message.id,
      provider: "resend",
      providerId: message.providerId ?? "x",
      status: "delivery_delayed",
      at: new Date(),
      receivedAt: new Date(),
      detail: `mailbox of ${ADA.email} is full`,
    },
  });
}

describe("DELETE /api/customers/{id}", () => {
  let metricsBefore: Record<string, unknown>;
  let exported: Record<string, unknown>;

  beforeAll(async () => {
    await story();
    metricsBefore = (await w.request("GET", "/api/metrics")).body;
    exported = (await asAdmin("GET", `/api/customers/${ADA.id}/export`)).body;
  }, 60_000);

  test("the export holds every message as sent, the complaint and the events that carry them", () => {
    const messages = exported.messages as Array<{ recipient: string; text: string | null; body: string | null }>;
    expect(messages.length).toBeGreaterThanOrEqual(4);
    expect(messages.map((m) => m.recipient)).toEqual(expect.arrayContaining([ADA.email, ADA.phone]));
    expect(messages.some((m) => (m.text ?? m.body ?? "").includes("ORD-1"))).toBe(true);
    expect((exported.customer as { email: string }).email).toBe(ADA.email);
    expect((exported.complaints as Array<{ text: string }>)[0]?.text).toContain("where is my parcel");
    expect((exported.events as Array<{ id: string }>).map((e) => e.id).sort()).toEqual([
      "carrier-1",
      "desk-1",
      "ops-1",
    ]);
    expect((exported.disruptions as unknown[]).length).toBe(2);
  });

  test("before: their name, email and phone are in many tables", async () => {
    const found = await whereFound([ADA.email, ADA.phone, ADA.name]);
    for (const table of ["Customer", "Message", "TimelineEntry", "InboundEvent", "Complaint", "DeliveryEvent"])
      expect(found.some((f) => f.startsWith(`${table}.`))).toBe(true);
    // The embedded engine keeps copies too: the events it was sent, each run's input and step results.
    const inEngine = whereFoundInEngine([ADA.email, ADA.phone, ADA.name]);
    for (const table of ["engine_events", "engine_runs"])
      expect(inEngine.some((f) => f.startsWith(`${table}.`))).toBe(true);
  });

  test("after: no table holds them, Grace is untouched, and the metrics count the same", async () => {
    const erased = await asAdmin("DELETE", `/api/customers/${ADA.id}`);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ customerId: ADA.id, alreadyErased: false });
    expect(await whereFound([ADA.email, ADA.phone, ADA.name, "where is my parcel"])).toEqual([]);
    expect(whereFoundInEngine([ADA.email, ADA.phone, ADA.name, "where is my parcel"])).toEqual([]);
    expect(whereFoundInEngine([GRACE.email, GRACE.name]).length).toBeGreaterThan(0);
    expect((await whereFound([GRACE.email, GRACE.phone, GRACE.name])).length).toBeGreaterThan(3);
    expect((await w.request("GET", "/api/metrics")).body).toEqual(metricsBefore);
    // The flight event is still an event: Grace's booking as it was, Ada's without her.
    const flight = await w.prisma.inboundEvent.findUniqueOrThrow({ where: { id: "ops-1" } });
    const bookings = (JSON.parse(flight.body) as { data: { bookings: Array<{ customer: { name: string } }> } }).data
      .bookings;
    expect(bookings.map((b) => b.customer.name)).toEqual(["[erased]", GRACE.name]);
    const customer = await w.request("GET", `/api/customers/${ADA.id}`);
    expect(customer.body).toMatchObject({ id: ADA.id, name: "[erased]", erasedAt: expect.any(String) });
    expect(customer.body).not.toHaveProperty("email");
    const audit = await w.prisma.auditLog.findFirstOrThrow({ where: { action: "customer.erase" } });
    expect(audit).toMatchObject({ actor: "api key privacy desk", target: ADA.id });
  });

  test("erasing again is idempotent: 200, nothing more to change", async () => {
    const again = await asAdmin("DELETE", `/api/customers/${ADA.id}`);
    expect(again.status).toBe(200);
    expect(again.body.alreadyErased).toBe(true);
    expect(Object.values(again.body.changed as Record<string, number>).every((n) => n === 0)).toBe(true);
  });

  test("an unknown customer is a 404, a bad id a 400 naming it, and the scope is admin", async () => {
    expect((await asAdmin("DELETE", "/api/customers/nobody-here")).status).toBe(404);
    const bad = await asAdmin("DELETE", `/api/customers/${"x".repeat(300)}`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("customerId");
    expect((await w.request("DELETE", `/api/customers/${GRACE.id}`)).status).toBe(403);
    expect((await w.request("GET", `/api/customers/${GRACE.id}/export`)).status).toBe(403);
  });
});

test("a recovery waiting for a manager when its customer is erased carries on, and writes to nobody", async () => {
  const id = "cus-erased-midway";
  const midway = { id, name: "Mary Somerville", email: "mary.somerville@example.com", phone: "+447911123654" };
  expect((await w.request("PUT", `/api/customers/${id}`, person(midway, "Europe/London"))).status).toBe(200);
  expect(
    (
      await w.request("POST", "/api/events", {
        id: "carrier-mid-1",
        type: "shipment.eta_updated",
        occurredAt: "2026-01-05T14:58:00Z",
        data: {
          orderId: "ORD-MID",
          customerId: id,
          promisedBy: "2026-01-06T18:00:00Z",
          newEta: "2026-01-10T16:00:00Z",
          important: true,
        },
      })
    ).status,
  ).toBe(202);
  await w.settle();
  const d = await w.prisma.disruption.findFirstOrThrow({ where: { customerId: id } });
  expect(await w.prisma.approval.count({ where: { disruptionId: d.id, status: "pending" } })).toBe(1);
  const toThem = () =>
    w.resend.deliveries.filter((m) => JSON.stringify(m).includes(midway.email)).length +
    w.twilio.deliveries.filter((m) => m.to === midway.phone).length;
  const sentBefore = toThem();
  expect(sentBefore).toBe(2); // the apology, by email and SMS

  expect((await asAdmin("DELETE", `/api/customers/${id}`)).status).toBe(200);
  expect((await w.request("POST", `/api/disruptions/${d.id}/approval`, { decision: "approve" })).status).toBe(200);
  await w.settle();
  await w.advance(HOUR);
  const at = new Date(w.clock.now()).toISOString();
  const resolved = await w.request("POST", "/api/events", {
    id: "carrier-mid-2",
    type: "shipment.delivered",
    occurredAt: at,
    data: { orderId: "ORD-MID", deliveredAt: at },
  });
  expect(resolved.status).toBe(202);
  await w.settle();
  await w.advance(72 * HOUR);
  await w.settle();

  expect(toThem()).toBe(sentBefore);
  const lines = await w.prisma.timelineEntry.findMany({ where: { disruptionId: d.id } });
  expect(lines.map((l) => l.summary)).toContain("No messages: the customer's data was erased");
  expect(w.engine.inspect.counts().failed).toBe(0);
}, 60_000);
