import { afterAll, beforeAll, expect, test } from "vitest";
import { createApiKey } from "../../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../../src/auth/prisma-key-store.ts";
import { addUser, type Browser, startDashboard } from "./harness.ts";
import { HOSTILE, signedIn } from "./recovery-seed.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
let viewer: Browser;
let key: string;

beforeAll(async () => {
  h = await startDashboard();
  viewer = (await signedIn(h.runtime, await addUser(h.runtime, "viewer"), h.now())).browser;
  key = (await createApiKey(prismaApiKeyStore(h.runtime.prisma), "ops", ["events:write", "customers:write"])).secret;
});
afterAll(() => h.stop());

const send = (body: unknown) =>
  h.runtime.app.request("/api/events", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const at = () => new Date(h.now().getTime() - 60_000).toISOString();

test("an event for an unknown customer is listed on Attention, its sender's text escaped", async () => {
  const answer = await send({
    id: `evt-${HOSTILE}`,
    type: "shipment.eta_updated",
    occurredAt: at(),
    data: {
      orderId: `ORD-${HOSTILE}`,
      customerId: `cust-${HOSTILE}`,
      promisedBy: at(),
      newEta: new Date(h.now().getTime() + 5 * 86_400_000).toISOString(),
    },
  });
  expect(answer.status).toBe(202);
  await h.runtime.engine?.drain();

  const response = await viewer.request("GET", "/dashboard/attention");
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).toContain("Unknown customer");
  expect(html).toContain("held</span> until");
  expect(html).not.toContain(HOSTILE);
  expect(html).toContain("cust-&lt;img src=x onerror=alert(1)&gt;");
  expect(html).toContain("order:ORD-&lt;img src=x onerror=alert(1)&gt;");
  expect(html).toContain('href="/dashboard/attention" aria-current="page"');
});

test("a flight delayed without its length is listed once, not once per booking; routine outcomes are not", async () => {
  const flight = (id: string, extra: Record<string, unknown>) => ({
    id,
    type: "flight.status_changed",
    occurredAt: at(),
    data: {
      flightNumber: "MG100",
      date: "2026-01-05",
      bookings: [
        { bookingRef: "AAA111", customerId: "c-1" },
        { bookingRef: "AAA222", customerId: "c-2" },
      ],
      ...extra,
    },
  });
  expect((await send(flight("delay-no-length", { status: "delayed" }))).status).toBe(202);
  expect((await send(flight("on-time", { status: "scheduled" }))).status).toBe(202);
  await h.runtime.engine?.drain();

  const html = await (await viewer.request("GET", "/dashboard/attention?reason=no_delay_length")).text();
  expect(html.match(/data-issue=/g)).toHaveLength(1);
  expect(html).toContain("delay-no-length");
  const all = await (await viewer.request("GET", "/dashboard/attention")).text();
  expect(all).not.toContain("on-time");
});
