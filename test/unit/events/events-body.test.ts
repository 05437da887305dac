import { describe, expect, test } from "vitest";
import { SUPPORTED_LOCALES } from "../../../src/events/fields.ts";
import { createEventSchemas, MAX_EVENTS_PER_BATCH, parseEventsBody } from "../../../src/events/schemas.ts";
import {
  complaint,
  corrected,
  delivered,
  etaUpdated,
  fieldsOf,
  flightChanged,
  issuesOf,
  NOW,
  qaFailed,
  schemas,
} from "./samples.ts";

describe("valid events", () => {
  test.each([
    ["shipment.eta_updated", etaUpdated],
    ["shipment.delivered", delivered],
    ["flight.status_changed", flightChanged],
    ["deliverable.qa_failed", qaFailed],
    ["deliverable.corrected", corrected],
    ["customer.complaint_received", complaint],
  ])("a well-formed %s event is accepted as it was sent", (type, make) => {
    const result = schemas.parseEventsBody(make());
    expect(result).toEqual({ ok: true, batch: false, events: [make()] });
    expect(result.ok && result.events[0]?.type).toBe(type);
  });

  test("a batch comes back as its events, in order", () => {
    const result = schemas.parseEventsBody({ events: [etaUpdated(), flightChanged(), qaFailed()] });
    expect(result.ok && result.batch).toBe(true);
    expect(result.ok && result.events.map((e) => e.id)).toEqual(["evt-eta-1", "evt-flt-1", "evt-qa-1"]);
  });

  test("optional fields may be left out", () => {
    const e = etaUpdated();
    const { orderId, customerId, promisedBy, newEta } = e.data;
    expect(
      issuesOf({ id: e.id, type: e.type, occurredAt: e.occurredAt, data: { orderId, customerId, promisedBy, newEta } }),
    ).toEqual([]);
  });

  test("the default schemas use the real clock: an event from a minute ago is fine", () => {
    const e = delivered();
    const aMinuteAgo = new Date(Date.now() - 60_000).toISOString();
    expect(parseEventsBody({ ...e, occurredAt: aMinuteAgo, data: { ...e.data, deliveredAt: aMinuteAgo } }).ok).toBe(
      true,
    );
  });
});

describe("bad events get a 4xx naming the field", () => {
  test("unknown type", () => {
    const issues = issuesOf({ ...etaUpdated(), type: "shipment.teleported" });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe("type");
    expect(issues[0]?.message).toMatch(/known event type: shipment\.eta_updated/);
  });

  test("missing type", () => {
    const { type: _type, ...rest } = etaUpdated();
    expect(fieldsOf(rest)).toEqual(["type"]);
  });

  test("missing id", () => {
    const { id: _id, ...rest } = etaUpdated();
    expect(issuesOf(rest)).toEqual([{ field: "id", message: "is required" }]);
  });

  test("empty id", () => {
    expect(fieldsOf({ ...etaUpdated(), id: "" })).toEqual(["id"]);
  });

  test("an id of 256 characters is fine, 257 is oversized", () => {
    expect(issuesOf({ ...etaUpdated(), id: "x".repeat(256) })).toEqual([]);
    expect(issuesOf({ ...etaUpdated(), id: "x".repeat(257) })).toEqual([
      { field: "id", message: "must be at most 256 characters" },
    ]);
  });

  test("control characters in an id", () => {
    expect(fieldsOf({ ...etaUpdated(), id: "evt\u0000-1" })).toEqual(["id"]);
    expect(fieldsOf({ ...etaUpdated(), id: "evt\n1" })).toEqual(["id"]);
  });

  test(`too many events in one batch (more than ${MAX_EVENTS_PER_BATCH})`, () => {
    const events = Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, (_, i) => ({ ...delivered(), id: `e${i}` }));
    const issues = issuesOf({ events });
    expect(issues).toEqual([{ field: "events", message: `must contain at most 500 events, got 501` }]);
    expect(issuesOf({ events: events.slice(0, MAX_EVENTS_PER_BATCH) })).toEqual([]);
  });

  test("the batch schema itself also caps the batch", () => {
    const events = Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, (_, i) => ({ ...delivered(), id: `e${i}` }));
    const result = schemas.OpsEventBatch.safeParse({ events });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["events"]);
  });

  test("an empty batch", () => {
    expect(issuesOf({ events: [] })).toEqual([{ field: "events", message: "must contain at least one event" }]);
  });

  test("a bad field deep in a batch is named with its index", () => {
    const bad = etaUpdated();
    bad.data.newEta = "next tuesday";
    expect(fieldsOf({ events: [etaUpdated(), delivered(), qaFailed(), bad] })).toEqual(["events[3].data.newEta"]);
  });

  test("unknown fields, at the top, in data and nested", () => {
    const e = etaUpdated() as Record<string, unknown> & ReturnType<typeof etaUpdated>;
    e.priority = "high";
    (e.data as Record<string, unknown>).colour = "red";
    (e.data.items[0] as Record<string, unknown>).qty = 2;
    expect(fieldsOf(e).sort()).toEqual(["data.colour", "data.items[0].qty", "priority"]);
    expect(issuesOf(e).every((i) => i.message === "is not a known field")).toBe(true);
  });

  test("an unknown field next to a batch's events", () => {
    expect(fieldsOf({ events: [delivered()], dryRun: true })).toEqual(["dryRun"]);
  });

  test.each(["__proto__", "constructor", "prototype"])("a %s key anywhere is rejected", (key) => {
    const body = JSON.parse(
      `{"events":[${JSON.stringify(delivered())},{"id":"e2","type":"shipment.delivered","occurredAt":"2025-03-01T10:00:00Z","data":{"orderId":"o","deliveredAt":"2025-03-01T10:00:00Z","${key}":{"isAdmin":true}}}]}`,
    );
    expect(issuesOf(body)).toEqual([{ field: `events[1].data.${key}`, message: `the key "${key}" is not allowed` }]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  test("a __proto__ key in a single event's customer is rejected", () => {
    const body = JSON.parse(
      JSON.stringify(etaUpdated()).replace('"name":"Ada Lovelace"', '"__proto__":{"x":1},"name":"Ada Lovelace"'),
    );
    expect(fieldsOf(body)).toEqual(["customer.__proto__"]);
  });

  test("occurredAt without a zone", () => {
    const issues = issuesOf({ ...etaUpdated(), occurredAt: "2025-03-01T09:30:00" });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe("occurredAt");
    expect(issues[0]?.message).toMatch(/offset or Z/);
  });

  test("a date-only or unparseable occurredAt", () => {
    expect(fieldsOf({ ...etaUpdated(), occurredAt: "2025-03-01" })).toEqual(["occurredAt"]);
    expect(fieldsOf({ ...etaUpdated(), occurredAt: "yesterday" })).toEqual(["occurredAt"]);
    expect(fieldsOf({ ...etaUpdated(), occurredAt: "2025-02-30T10:00:00Z" })).toEqual(["occurredAt"]);
  });

  test("a zone-less timestamp inside data", () => {
    const e = etaUpdated();
    e.data.promisedBy = "2025-03-02T18:00:00";
    expect(fieldsOf(e)).toEqual(["data.promisedBy"]);
  });

  test("occurredAt exactly 24 h ahead is tolerated (clock skew), a minute more is not", () => {
    const dayAhead = new Date(NOW.getTime() + 24 * 3600_000);
    expect(issuesOf({ ...etaUpdated(), occurredAt: dayAhead.toISOString() })).toEqual([]);
    const further = new Date(dayAhead.getTime() + 60_000).toISOString();
    expect(issuesOf({ ...etaUpdated(), occurredAt: further })).toEqual([
      { field: "occurredAt", message: "must not be more than 24 hours in the future" },
    ]);
  });

  test("the clock is read at parse time, not when the schemas are built", () => {
    let now = new Date("2025-01-01T00:00:00Z");
    const s = createEventSchemas({ now: () => now });
    expect(s.parseEventsBody(delivered()).ok).toBe(false);
    now = NOW;
    expect(s.parseEventsBody(delivered()).ok).toBe(true);
  });

  test("a delivery reported far in the future", () => {
    const e = delivered();
    e.data.deliveredAt = "2026-03-01T09:55:00Z";
    expect(fieldsOf(e)).toEqual(["data.deliveredAt"]);
  });

  test("a new ETA far in the future is fine: ETAs are predictions", () => {
    const e = etaUpdated();
    e.data.newEta = "2025-09-01T00:00:00Z";
    expect(issuesOf(e)).toEqual([]);
  });

  test("non-E.164 phone in the event's customer", () => {
    const e = etaUpdated();
    e.customer.phone = "07700 900123";
    expect(fieldsOf(e)).toEqual(["customer.phone"]);
  });

  test("invalid email in the event's customer", () => {
    const e = etaUpdated();
    e.customer.email = "ada@";
    expect(fieldsOf(e)).toEqual(["customer.email"]);
  });

  test("CR/LF in a customer name (header injection)", () => {
    const e = etaUpdated();
    e.customer.name = "Ada\r\nBcc: everyone@example.com";
    expect(issuesOf(e)).toEqual([{ field: "customer.name", message: "must be a single line (no CR/LF)" }]);
  });

  test("CR/LF in a deliverable title and in an item name", () => {
    const q = qaFailed();
    q.data.title = "Report\nSubject: hi";
    expect(fieldsOf(q)).toEqual(["data.title"]);
    const e = etaUpdated();
    e.data.items[0] = { sku: "SKU-1", name: "Cake\rstand" };
    expect(fieldsOf(e)).toEqual(["data.items[0].name"]);
  });

  test("unknown time zone in the event's customer", () => {
    const e = etaUpdated();
    e.customer.timeZone = "Europe/Atlantis";
    expect(fieldsOf(e)).toEqual(["customer.timeZone"]);
  });

  test("unsupported locale in the event's customer", () => {
    const e = etaUpdated();
    e.customer.locale = "es-ES";
    expect(issuesOf(e)).toEqual([
      { field: "customer.locale", message: `must be a supported locale: ${SUPPORTED_LOCALES.join(", ")}` },
    ]);
  });

  test("negative amount", () => {
    const e = etaUpdated();
    e.data.orderValue.amount = -5;
    expect(issuesOf(e)).toEqual([{ field: "data.orderValue.amount", message: "must not be negative" }]);
  });

  test("NaN and Infinity amounts (1e999 parses as Infinity)", () => {
    const e = etaUpdated();
    e.data.orderValue.amount = Number.NaN;
    expect(fieldsOf(e)).toEqual(["data.orderValue.amount"]);
    const inf = JSON.parse(JSON.stringify(etaUpdated()).replace('"amount":120.5', '"amount":1e999'));
    expect(fieldsOf(inf)).toEqual(["data.orderValue.amount"]);
  });

  test("an amount as a string", () => {
    const e = etaUpdated() as unknown as { data: { orderValue: { amount: unknown } } };
    e.data.orderValue.amount = "120.50";
    expect(fieldsOf(e)).toEqual(["data.orderValue.amount"]);
  });

  test.each(["eur", "EURO", "E1R", ""])("bad currency code %j", (code) => {
    const e = etaUpdated();
    e.data.orderValue.currency = code;
    expect(fieldsOf(e)).toEqual(["data.orderValue.currency"]);
    const f = flightChanged();
    (f.data.bookings[0] as { currency?: string }).currency = code;
    expect(fieldsOf(f)).toEqual(["data.bookings[0].currency"]);
  });

  test.each([
    ["<script>alert(1)</script>", "script"],
    ["<img src=x onerror=alert(1)>", "tag"],
    ["Great <b>service</b>", "bold"],
    ["< script >", "spaced script"],
    ["<!-- hidden -->", "comment"],
  ])("HTML in a shipment reason: %s (%s)", (reason) => {
    const e = etaUpdated();
    e.data.reason = reason;
    expect(issuesOf(e)).toEqual([{ field: "data.reason", message: "must be plain text, not HTML" }]);
  });

  test("HTML in a complaint's free text, a QA summary and a customer name", () => {
    const c = complaint();
    c.data.text = "Hello\n<script>steal()</script>";
    expect(fieldsOf(c)).toEqual(["data.text"]);
    const q = qaFailed();
    q.data.issues[0] = { summary: "<a href='javascript:x'>x</a>", severity: "minor" };
    expect(fieldsOf(q)).toEqual(["data.issues[0].summary"]);
    const e = etaUpdated();
    e.customer.name = "<b>Ada</b>";
    expect(fieldsOf(e)).toEqual(["customer.name"]);
  });

  test("a lone < in prose is not HTML", () => {
    const c = complaint();
    c.data.text = "Waited <2 days, then 3 > 2 more";
    expect(issuesOf(c)).toEqual([]);
  });

  test.each([
    ["\u202E", "right-to-left override"],
    ["\u2066", "left-to-right isolate"],
    ["\u200B", "zero-width space"],
    ["\u200D", "zero-width joiner"],
    ["\uFEFF", "byte order mark"],
  ])("bidi / zero-width %j (%s) in customer text", (ch) => {
    const c = complaint();
    c.data.text = `Refund to ${ch}evil.example`;
    expect(issuesOf(c)).toEqual([
      { field: "data.text", message: "must not contain invisible or bidi control characters" },
    ]);
    const q = qaFailed();
    q.data.title = `Report${ch}`;
    expect(fieldsOf(q)).toEqual(["data.title"]);
  });

  test("a javascript: tracking URL", () => {
    const e = etaUpdated();
    e.data.trackingUrl = "javascript:alert(1)";
    expect(fieldsOf(e)).toEqual(["data.trackingUrl"]);
  });

  test("a complaint text may span lines, but not carry other control characters", () => {
    const c = complaint();
    c.data.text = "line one\r\nline two\tindented";
    expect(issuesOf(c)).toEqual([]);
    c.data.text = "bell\u0007";
    expect(fieldsOf(c)).toEqual(["data.text"]);
  });

  test("flight status outside the list, a negative or fractional delay", () => {
    const f = flightChanged();
    (f.data as { status: string }).status = "lost";
    expect(fieldsOf(f)).toEqual(["data.status"]);
    const g = flightChanged() as ReturnType<typeof flightChanged> & { data: { delayMinutes?: number } };
    g.data.delayMinutes = -10;
    expect(fieldsOf(g)).toEqual(["data.delayMinutes"]);
    g.data.delayMinutes = 12.5;
    expect(fieldsOf(g)).toEqual(["data.delayMinutes"]);
  });

  test("the same booking twice in one flight event", () => {
    const f = flightChanged();
    f.data.bookings.push({ bookingRef: "ABC123", customerId: "cus-eve" });
    expect(fieldsOf(f)).toEqual(["data.bookings[2].bookingRef"]);
  });

  test("a QA failure with no issues", () => {
    const q = qaFailed();
    q.data.issues = [];
    expect(fieldsOf(q)).toEqual(["data.issues"]);
  });

  test("a customer on an event without a customerId is an unknown field", () => {
    expect(fieldsOf({ ...delivered(), customer: etaUpdated().customer })).toEqual(["customer"]);
  });

  test("a body that is not an object", () => {
    expect(fieldsOf("hello")).toEqual(["(root)"]);
    expect(fieldsOf([delivered()])).toEqual(["(root)"]);
    expect(fieldsOf(null)).toEqual(["(root)"]);
  });

  test("every bad field in a batch is reported, not just the first", () => {
    const a = etaUpdated();
    a.customer.email = "nope";
    const b = complaint();
    b.data.receivedAt = "2025-03-01T09:58:00";
    expect(fieldsOf({ events: [a, delivered(), b] })).toEqual([
      "events[0].customer.email",
      "events[2].data.receivedAt",
    ]);
  });
});
