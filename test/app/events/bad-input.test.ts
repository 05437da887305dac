import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { NodeRuntime } from "../../../src/node-runtime.ts";
import { type CallOptions, call, customer, delivered, etaUpdated, startRuntime } from "./harness.ts";

/** QUALITY.md, "Bad input that must get a clear 4xx (and change nothing)". */

let runtime: NodeRuntime;
let keys: Awaited<ReturnType<typeof startRuntime>>["keys"];
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ runtime, keys, stop } = await startRuntime());
});
afterAll(() => stop());

const counts = async () => ({
  events: await runtime.prisma.inboundEvent.count(),
  customers: await runtime.prisma.customer.count(),
});

/** Sends `body`, expects `status` and `code`, and checks nothing was stored or sent. */
async function rejects(body: unknown, status: number, code: string, opts: CallOptions = {}) {
  const before = await counts();
  const send = vi.spyOn(runtime.inngest, "send");
  try {
    const response = await call(runtime, "POST", "/api/events", body, { key: keys["events:write"], ...opts });
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { code: string; details?: { field: string; message: string }[] } };
    expect(json.error).toMatchObject({ code, message: expect.any(String), requestId: expect.any(String) });
    expect(await counts()).toEqual(before);
    expect(send).not.toHaveBeenCalled();
    return json.error;
  } finally {
    send.mockRestore();
  }
}

const fields = (error: { details?: { field: string }[] }) => error.details?.map((d) => d.field) ?? [];

describe("events: the request", () => {
  test("no API key → 401", async () => {
    await rejects(etaUpdated(), 401, "unauthenticated", { key: undefined });
  });

  test("a key without events:write → 403", async () => {
    await rejects(etaUpdated(), 403, "forbidden", { key: keys.read });
    await rejects(etaUpdated(), 403, "forbidden", { key: keys["customers:write"] });
  });

  test("wrong content type → 415 naming it", async () => {
    const error = await rejects(JSON.stringify(etaUpdated()), 415, "unsupported_media_type", {
      contentType: "text/plain",
    });
    expect(error).toMatchObject({ message: expect.stringContaining("text/plain") });
    await rejects(JSON.stringify(etaUpdated()), 415, "unsupported_media_type", { contentType: null });
    await rejects("a=1", 415, "unsupported_media_type", { contentType: "application/x-www-form-urlencoded" });
  });

  test("a 1.5 MiB body → 413, by the bytes sent and by the declared length", async () => {
    const big = { ...etaUpdated(), padding: "x".repeat(1.5 * 1024 * 1024) };
    await rejects(big, 413, "payload_too_large");
    await rejects(JSON.stringify(etaUpdated()), 413, "payload_too_large", {
      headers: { "content-length": String(2 * 1024 * 1024) },
    });
  });

  test("malformed JSON, an empty body → 400 bad_request", async () => {
    await rejects('{"id": "x", ', 400, "bad_request");
    await rejects("", 400, "bad_request");
  });

  test("a batch of 501 events → 400 naming `events`", async () => {
    const events = Array.from({ length: 501 }, () => delivered());
    const error = await rejects({ events }, 400, "validation_failed");
    expect(fields(error)).toEqual(["events"]);
  });

  test("an empty batch → 400 naming `events`", async () => {
    expect(fields(await rejects({ events: [] }, 400, "validation_failed"))).toEqual(["events"]);
  });
});

describe("events: the fields", () => {
  test("an unknown type → 400 naming `type`", async () => {
    const error = await rejects({ ...delivered(), type: "shipment.teleported" }, 400, "validation_failed");
    expect(fields(error)).toContain("type");
  });

  test("a missing or oversized id → 400 naming `id`", async () => {
    const { id: _id, ...noId } = delivered();
    expect(fields(await rejects(noId, 400, "validation_failed"))).toContain("id");
    expect(fields(await rejects({ ...delivered(), id: "x".repeat(257) }, 400, "validation_failed"))).toContain("id");
  });

  test("an unknown field → 400 naming it", async () => {
    const event = etaUpdated();
    const error = await rejects({ ...event, data: { ...event.data, colour: "red" } }, 400, "validation_failed");
    expect(fields(error)).toContain("data.colour");
  });

  test("a timestamp without a zone, or far in the future → 400 naming it", async () => {
    const event = delivered();
    const zoneless = { ...event, data: { ...event.data, deliveredAt: "2025-03-01T10:59:00" } };
    expect(fields(await rejects(zoneless, 400, "validation_failed"))).toContain("data.deliveredAt");
    const future = { ...event, occurredAt: "2999-01-01T00:00:00Z" };
    expect(fields(await rejects(future, 400, "validation_failed"))).toContain("occurredAt");
  });

  test("a non-E.164 phone in an embedded customer → 400 naming it, and in a batch with its index", async () => {
    const bad = { ...etaUpdated(), customer: { ...customer(), phone: "07700 900123" } };
    expect(fields(await rejects(bad, 400, "validation_failed"))).toContain("customer.phone");
    const error = await rejects({ events: [delivered(), bad] }, 400, "validation_failed");
    expect(fields(error)).toContain("events[1].customer.phone");
  });

  test("CR/LF in a name (header injection) → 400", async () => {
    const bad = { ...etaUpdated(), customer: { ...customer(), name: "Ada\r\nBcc: all@example.com" } };
    expect(fields(await rejects(bad, 400, "validation_failed"))).toContain("customer.name");
  });

  test("`__proto__` and `constructor` keys → 400 naming them", async () => {
    const event = JSON.stringify(delivered());
    const proto = `${event.slice(0, -1)},"__proto__":{"admin":true}}`;
    expect(fields(await rejects(proto, 400, "validation_failed"))).toContain("__proto__");
    const ctor = { ...delivered(), data: { ...delivered().data, constructor: { prototype: {} } } };
    expect(fields(await rejects(ctor, 400, "validation_failed")).join(" ")).toContain("constructor");
  });

  test("one bad event in a batch rejects the whole batch; every bad field is named", async () => {
    const a = { ...delivered(), data: { orderId: "", deliveredAt: "yesterday" } };
    const b = { ...etaUpdated(), type: "nope" };
    const error = await rejects({ events: [delivered(), a, b] }, 400, "validation_failed");
    expect(fields(error)).toEqual(
      expect.arrayContaining(["events[1].data.orderId", "events[1].data.deliveredAt", "events[2].type"]),
    );
  });
});
