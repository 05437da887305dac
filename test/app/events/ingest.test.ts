import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import type { NodeRuntime } from "../../../src/node-runtime.ts";
import { call, customer, delivered, etaUpdated, flightChanged, startRuntime, uniqueId } from "./harness.ts";

let runtime: NodeRuntime;
let key: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const started = await startRuntime();
  runtime = started.runtime;
  key = started.keys["events:write"];
  stop = started.stop;
});
afterAll(() => stop());
afterEach(() => vi.restoreAllMocks());

const post = (body: unknown) => call(runtime, "POST", "/api/events", body, { key });
/** The columns this route writes (`outcome` belongs to the workflow the event triggers). */
const rowsFor = (ids: string[]) =>
  runtime.prisma.inboundEvent.findMany({ where: { id: { in: ids } }, omit: { outcome: true } });
const sentIds = (send: { mock: { calls: unknown[][] } }) =>
  send.mock.calls.flatMap(([payload]) => (payload as { id: string }[]).map((p) => p.id));

describe("accepting events", () => {
  test("one event is stored, handed to the engine as makegood/<type> and marked dispatched", async () => {
    const send = vi.spyOn(runtime.inngest, "send");
    const event = etaUpdated();
    const response = await post(event);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: [event.id], duplicates: [] });

    const [row] = await rowsFor([event.id]);
    expect(row).toMatchObject({ type: "shipment.eta_updated", occurredAt: new Date("2025-03-01T08:30:00Z") });
    expect(row?.bodyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(row?.body ?? "null")).toEqual(event);
    expect(row?.dispatchedAt).toBeInstanceOf(Date);

    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]?.[0]).toEqual([
      {
        id: `signal:${event.id}`,
        name: "makegood/shipment.eta_updated",
        data: { id: event.id, type: event.type, occurredAt: event.occurredAt, data: event.data },
      },
    ]);
  });

  test("a batch is stored in order and sent in one call, as one batch event carrying each signal in order", async () => {
    const send = vi.spyOn(runtime.inngest, "send");
    const events = [etaUpdated(), delivered(), flightChanged()];
    const response = await post({ events });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: events.map((e) => e.id), duplicates: [] });
    const rows = await rowsFor(events.map((e) => e.id));
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.dispatchedAt !== null)).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
    const sent = (send.mock.calls[0]?.[0] as { name: string; data: { signals: { id: string }[] } }[] | undefined)?.[0];
    expect(sent?.name).toBe("makegood/signals.received");
    expect(sent?.data.signals.map((s) => s.id)).toEqual(events.map((e) => e.id));
  });

  test("customers embedded in events (next to customerId, and on flight bookings) are created with them", async () => {
    const eta = { ...etaUpdated(), customer: customer() };
    const flight = flightChanged();
    const response = await post({ events: [eta, flight] });
    expect(response.status).toBe(202);
    const ada = await runtime.prisma.customer.findUnique({ where: { id: eta.data.customerId } });
    expect(ada).toMatchObject({ name: "Ada Lovelace", consentSms: true, accountLeadName: "Sarah Chen" });
    const grace = await runtime.prisma.customer.findUnique({
      where: { id: flight.data.bookings[0]?.customerId as string },
    });
    expect(grace).toMatchObject({ name: "Grace Hopper" });
  });

  test("key order and spacing do not make a different body", async () => {
    const event = delivered();
    expect((await post(event)).status).toBe(202);
    const reordered = `{"data":{"deliveredAt":"${event.data.deliveredAt}","orderId":"${event.data.orderId}"},
      "type":"${event.type}", "occurredAt":"${event.occurredAt}","id":"${event.id}"}`;
    const again = await call(runtime, "POST", "/api/events", reordered, { key });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: [], duplicates: [event.id] });
  });
});

describe("duplicates and conflicts", () => {
  test("R2: the same event sent three times at once is stored once; every answer is 202 and names it once", async () => {
    const send = vi.spyOn(runtime.inngest, "send");
    const event = etaUpdated();
    const responses = await Promise.all([post(event), post(event), post(event)]);
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202]);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as {
      accepted: string[];
      duplicates: string[];
    }[];
    expect(bodies.filter((b) => b.accepted.includes(event.id))).toHaveLength(1);
    expect(bodies.filter((b) => b.duplicates.includes(event.id))).toHaveLength(2);
    for (const b of bodies) expect([...b.accepted, ...b.duplicates]).toEqual([event.id]);

    const rows = await rowsFor([event.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.dispatchedAt).not.toBeNull();
    // Re-sends carry the same id, which the engine drops for 24 h.
    expect(new Set(sentIds(send))).toEqual(new Set([`signal:${event.id}`]));
  });

  test("overlapping batches sent at once: every id is accepted exactly once, no errors", async () => {
    const shared = Array.from({ length: 20 }, () => delivered());
    const batches = Array.from({ length: 5 }, () => [...shared, delivered(), etaUpdated()].reverse());
    const responses = await Promise.all(batches.map((events) => post({ events })));
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { accepted: string[] }[];
    const accepted = bodies.flatMap((b) => b.accepted).sort();
    const all = [...new Set(batches.flat().map((e) => e.id))].sort();
    expect(accepted).toEqual(all);
    expect(await rowsFor(all)).toHaveLength(all.length);
  });

  test("losing the race to insert (another request stored the id after our lookup) makes a duplicate, not an error", async () => {
    const event = delivered();
    expect((await post(event)).status).toBe(202);
    // Our lookup misses the row, as if the other request inserted it just after.
    const findMany = vi.spyOn(runtime.prisma.inboundEvent, "findMany").mockResolvedValueOnce([]);
    const response = await post(event);
    expect(findMany).toHaveBeenCalledTimes(2);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: [], duplicates: [event.id] });
    expect(await rowsFor([event.id])).toHaveLength(1);
  });

  test("a duplicate sent later is answered again and changes nothing", async () => {
    const event = etaUpdated();
    await post(event);
    const [before] = await rowsFor([event.id]);
    const send = vi.spyOn(runtime.inngest, "send");
    const again = await post(event);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: [], duplicates: [event.id] });
    expect(await rowsFor([event.id])).toEqual([before]);
    expect(send).not.toHaveBeenCalled();
  });

  test("the same id twice in one batch: the first is accepted, the second is a duplicate", async () => {
    const event = delivered();
    const response = await post({ events: [event, event] });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: [event.id], duplicates: [event.id] });
    expect(await rowsFor([event.id])).toHaveLength(1);
  });

  test("the same id with a different body is a 409 naming it, and nothing in the request is stored", async () => {
    const original = etaUpdated();
    await post(original);
    const changed = { ...original, data: { ...original.data, newEta: "2025-03-05T18:00:00Z" } };
    const fresh = { ...etaUpdated(), customer: customer() };
    const send = vi.spyOn(runtime.inngest, "send");

    const response = await post({ events: [fresh, changed] });
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body).toMatchObject({
      error: { code: "conflict", message: expect.stringContaining(original.id), details: [{ field: "events[1].id" }] },
    });
    expect(await rowsFor([fresh.id])).toEqual([]);
    expect(await runtime.prisma.customer.findUnique({ where: { id: fresh.data.customerId } })).toBeNull();
    expect(JSON.parse((await rowsFor([original.id]))[0]?.body ?? "null")).toEqual(original);
    expect(send).not.toHaveBeenCalled();
  });

  test("two different bodies under one new id in one batch are a 409 too", async () => {
    const a = delivered();
    const b = { ...a, data: { ...a.data, deliveredAt: "2025-03-01T10:00:00Z" } };
    const response = await post({ events: [a, b] });
    expect(response.status).toBe(409);
    expect(await rowsFor([a.id])).toEqual([]);
  });
});

describe("when the engine cannot be reached", () => {
  test("R8: 503 with Retry-After, the event is kept, and the retry sends it", async () => {
    const event = etaUpdated();
    const send = vi.spyOn(runtime.inngest, "send").mockRejectedValueOnce(new Error("connection refused"));
    const failed = await post(event);
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("5");
    expect(await failed.json()).toMatchObject({ error: { code: "unavailable" } });
    const [kept] = await rowsFor([event.id]);
    expect(kept?.dispatchedAt).toBeNull();

    const retried = await post(event);
    expect(retried.status).toBe(202);
    expect(await retried.json()).toEqual({ accepted: [], duplicates: [event.id] });
    expect(send).toHaveBeenCalledTimes(2);
    expect(sentIds(send)).toEqual([`signal:${event.id}`, `signal:${event.id}`]);
    expect((await rowsFor([event.id]))[0]?.dispatchedAt).toBeInstanceOf(Date);
  });

  test("the real engine received the events (its send answered with ids)", async () => {
    const send = vi.spyOn(runtime.inngest, "send");
    const event = delivered();
    expect((await post(event)).status).toBe(202);
    const result = await send.mock.results[0]?.value;
    expect(result).toMatchObject({ ids: [expect.any(String)] });
  });
});

test("ids are unique per test run", () => {
  expect(uniqueId("a")).not.toBe(uniqueId("a"));
});
