import { afterAll, beforeAll, expect, test } from "vitest";
import type { NodeRuntime } from "../../../src/node-runtime.ts";
import { call, customer, startRuntime, uniqueId } from "./harness.ts";

let runtime: NodeRuntime;
let keys: Awaited<ReturnType<typeof startRuntime>>["keys"];
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ runtime, keys, stop } = await startRuntime());
});
afterAll(() => stop());

const put = (id: string, body: unknown, key = keys["customers:write"]) =>
  call(runtime, "PUT", `/api/customers/${encodeURIComponent(id)}`, body, { key });
const get = (id: string, key = keys.read) =>
  call(runtime, "GET", `/api/customers/${encodeURIComponent(id)}`, undefined, { key });

test("PUT creates a customer and answers it in the API's shape; GET returns it with its disruptions", async () => {
  const id = uniqueId("cus");
  const created = await put(id, customer());
  expect(created.status).toBe(200);
  const body = await created.json();
  expect(body).toMatchObject({ id, ...customer(), smsOptedOut: false });

  const read = await get(id);
  expect(read.status).toBe(200);
  expect(await read.json()).toEqual({ ...body, disruptions: [] });
});

test("PUT replaces: fields left out are cleared, an SMS opt-out stays", async () => {
  const id = uniqueId("cus");
  await put(id, customer());
  await runtime.prisma.customer.update({ where: { id }, data: { smsOptedOut: true } });
  const { accountLead: _lead, phone: _phone, ...rest } = customer();
  const replaced = await put(id, { ...rest, preferredChannel: "email", tier: "vip" });
  expect(replaced.status).toBe(200);
  const body = await replaced.json();
  expect(body).toMatchObject({ tier: "vip", preferredChannel: "email", smsOptedOut: true });
  expect(body).not.toHaveProperty("accountLead");
  expect(body).not.toHaveProperty("phone");
});

test("GET lists the customer's disruptions newest first", async () => {
  const id = uniqueId("cus");
  await put(id, customer());
  const disruption = (n: number, detectedAt: string) => ({
    id: `${id}-d${n}`,
    customerId: id,
    kind: "shipment_late",
    subjectKey: `order:${id}-${n}`,
    severity: "major",
    reason: "late",
    facts: "{}",
    signalAt: new Date(detectedAt),
    detectedAt: new Date(detectedAt),
  });
  await runtime.prisma.disruption.createMany({
    data: [disruption(1, "2025-03-01T10:00:00Z"), disruption(2, "2025-03-02T10:00:00Z")],
  });
  const body = await (await get(id)).json();
  expect(body.disruptions).toEqual([
    {
      id: `${id}-d2`,
      kind: "shipment_late",
      status: "open",
      severity: "major",
      detectedAt: "2025-03-02T10:00:00.000Z",
      firstMessageAt: null,
    },
    {
      id: `${id}-d1`,
      kind: "shipment_late",
      status: "open",
      severity: "major",
      detectedAt: "2025-03-01T10:00:00.000Z",
      firstMessageAt: null,
    },
  ]);
});

test("GET of an unknown customer → 404 not_found", async () => {
  const response = await get(uniqueId("nobody"));
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
});

test("an invalid body → 400 naming every bad field, and nothing stored", async () => {
  const id = uniqueId("cus");
  const response = await put(id, { ...customer(), email: "not-an-email", timeZone: "Mars/Olympus", extra: 1 });
  expect(response.status).toBe(400);
  const body = await response.json();
  expect(body.error.code).toBe("validation_failed");
  expect(body.error.details.map((d: { field: string }) => d.field)).toEqual(
    expect.arrayContaining(["email", "timeZone", "extra"]),
  );
  expect(await runtime.prisma.customer.findUnique({ where: { id } })).toBeNull();
});

test("an invalid customer id → 400 naming customerId", async () => {
  const response = await put("bad\u200bid", customer());
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ error: { details: [{ field: "customerId" }] } });
});

test("keys and scopes: none → 401, the wrong scope → 403, JSON only → 415", async () => {
  const id = uniqueId("cus");
  expect((await call(runtime, "PUT", `/api/customers/${id}`, customer())).status).toBe(401);
  expect((await put(id, customer(), keys.read)).status).toBe(403);
  expect((await get(id, keys["customers:write"])).status).toBe(403);
  const form = await call(runtime, "PUT", `/api/customers/${id}`, "name=x", {
    key: keys["customers:write"],
    contentType: "application/x-www-form-urlencoded",
  });
  expect(form.status).toBe(415);
  expect(await runtime.prisma.customer.findUnique({ where: { id } })).toBeNull();
});
