/**
 * APP_THREADS: the functions run in worker threads (what `npm start` does on a multi-core
 * machine), driven by the engine in the main thread. Real clock, real SQLite, real SDKs against
 * the fake providers.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../src/auth/prisma-key-store.ts";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/engine/types.ts";
import { createNodeRuntime, type NodeRuntime } from "../../src/node-runtime.ts";
import { publishVersion, saveDraft } from "../../src/templates/studio.ts";
import { type FakeResend, startFakeResend } from "../fakes/fake-resend.ts";

let runtime: NodeRuntime;
let resend: FakeResend;
let key: string;
beforeAll(async () => {
  resend = await startFakeResend();
  const dir = mkdtempSync(join(tmpdir(), "makegood-threads-"));
  const config = loadConfig({
    DATABASE_FILE: join(dir, "makegood.db"),
    ENGINE_DATABASE_FILE: join(dir, "engine.db"),
    APP_THREADS: "2",
    DEMO_DATA: "false",
  });
  runtime = createNodeRuntime(config, silentLogger, {
    env: { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url },
  });
  await runtime.start();
  key = (await createApiKey(prismaApiKeyStore(runtime.prisma), "ops", ["events:write", "customers:write", "approve"]))
    .secret;
}, 60_000);
afterAll(async () => {
  await runtime.stop();
  await resend.close();
});

const post = async (path: string, body: unknown, method = "POST") => {
  const response = await runtime.app.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return response;
};
const customer = (i: number) => ({
  name: `Passenger ${i}`,
  email: `p${i}@example.com`,
  locale: "en-GB",
  timeZone: "Europe/London",
  tier: "standard",
  preferredChannel: "email",
  consent: { email: true, sms: false },
});
async function until(what: string, done: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("a cancelled flight sent three times tells each of 20 passengers once, from the function threads", async () => {
  for (let i = 0; i < 20; i++) await post(`/api/customers/t-${i}`, customer(i), "PUT");
  const now = Date.now();
  const event = {
    id: "threads-flight-1",
    type: "flight.status_changed",
    occurredAt: new Date(now - 60_000).toISOString(),
    data: {
      flightNumber: "MG900",
      date: new Date(now).toISOString().slice(0, 10),
      status: "cancelled",
      bookings: Array.from({ length: 20 }, (_, i) => ({ bookingRef: `TH${i}`, customerId: `t-${i}` })),
    },
  };
  await Promise.all([post("/api/events", event), post("/api/events", event), post("/api/events", event)]);
  await until("20 apologies", () => resend.deliveries.length >= 20);
  await new Promise((resolve) => setTimeout(resolve, 500)); // room for a duplicate to show
  const recipients = resend.deliveries.flatMap((d) => d.to);
  expect(recipients.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}@example.com`).sort());
  const served = runtime.threads?.served ?? [];
  expect(served).toHaveLength(2);
  expect(served.every((n) => n > 0)).toBe(true);
});

test("a template published in the main thread is used by the very next recovery in a function thread", async () => {
  await post("/api/customers/t-ship", customer(99), "PUT");
  const delay = (n: number) => {
    const now = Date.now();
    return {
      id: `threads-eta-${n}`,
      type: "shipment.eta_updated",
      occurredAt: new Date(now - 60_000).toISOString(),
      data: {
        orderId: `TH-ORDER-${n}`,
        customerId: "t-ship",
        promisedBy: new Date(now + 86_400_000).toISOString(),
        newEta: new Date(now + 4 * 86_400_000).toISOString(),
      },
    };
  };
  const before = resend.deliveries.length;
  await post("/api/events", delay(1));
  await until("the first delay's apology", () => resend.deliveries.length > before);
  const first = resend.deliveries.at(-1);
  expect(first?.subject).not.toContain("A new subject");

  // The studio's own save and publish, with the main thread's reference data (as the dashboard does).
  const templateKey = { kind: "shipment_delay", channel: "email", locale: "en" } as const;
  const current = await runtime.prisma.templateVersion.findFirstOrThrow({
    where: { ...templateKey, status: "published" },
  });
  const saved = await saveDraft(
    runtime.prisma,
    templateKey,
    { subject: "A new subject: {{ shipment.orderId }} is late", html: current.html ?? "", text: current.text ?? "" },
    "test",
    new Date(),
  );
  if (!saved.ok) throw new Error(JSON.stringify(saved.validation.errors));
  const published = await publishVersion(
    runtime.prisma,
    runtime.services.reference,
    templateKey,
    saved.version.version,
    "test",
    new Date(),
  );
  expect(published.ok).toBe(true);

  const count = resend.deliveries.length;
  await post("/api/events", delay(2));
  await until("the second delay's apology", () => resend.deliveries.length > count);
  expect(resend.deliveries.at(-1)?.subject).toBe("A new subject: TH-ORDER-2 is late");
});

test("a function thread that dies in the middle of a wave is replaced, and every passenger is told once", async () => {
  for (let i = 0; i < 60; i++)
    await post(`/api/customers/k-${i}`, { ...customer(i), email: `k${i}@example.com` }, "PUT");
  const before = resend.deliveries.length;
  const now = Date.now();
  await post("/api/events", {
    id: "threads-flight-crash",
    type: "flight.status_changed",
    occurredAt: new Date(now - 60_000).toISOString(),
    data: {
      flightNumber: "MG901",
      date: new Date(now).toISOString().slice(0, 10),
      status: "cancelled",
      bookings: Array.from({ length: 60 }, (_, i) => ({ bookingRef: `TK${i}`, customerId: `k-${i}` })),
    },
  });
  await until("the first apologies", () => resend.deliveries.length >= before + 5);
  await runtime.threads?.crash(0);
  await until("60 apologies", () => resend.deliveries.length >= before + 60, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // room for a duplicate to show
  const recipients = resend.deliveries.slice(before).flatMap((d) => d.to);
  expect(recipients.sort()).toEqual(Array.from({ length: 60 }, (_, i) => `k${i}@example.com`).sort());
}, 90_000);

test("a manager's approval in the main thread releases the gift a function thread was waiting to send", async () => {
  await post("/api/customers/t-vip", { ...customer(77), email: "vip@example.com", tier: "valued" }, "PUT");
  const now = Date.now();
  const mails = () => resend.deliveries.filter((d) => d.to.includes("vip@example.com"));
  await post("/api/events", {
    id: "threads-vip-eta",
    type: "shipment.eta_updated",
    occurredAt: new Date(now - 60_000).toISOString(),
    data: {
      orderId: "TH-VIP-1",
      customerId: "t-vip",
      promisedBy: new Date(now + 86_400_000).toISOString(),
      newEta: new Date(now + 5 * 86_400_000).toISOString(),
      important: true,
    },
  });
  await until("the apology", () => mails().length === 1);
  const disruption = await runtime.prisma.disruption.findFirstOrThrow({ where: { subjectKey: "order:TH-VIP-1" } });
  const [pending] = await runtime.prisma.gestureGrant.findMany({ where: { disruptionId: disruption.id } });
  expect(pending?.status).toBe("pending_approval");

  await post(`/api/disruptions/${disruption.id}/approval`, { decision: "approve", note: "valued customer" });
  await until("the gift's message", () => mails().length === 2);
  const grant = await runtime.prisma.gestureGrant.findUniqueOrThrow({ where: { id: pending?.id ?? "" } });
  expect(grant.status).toBe("granted");
  const approval = await runtime.prisma.approval.findFirstOrThrow({ where: { disruptionId: disruption.id } });
  expect([approval.status, approval.decidedBy]).toEqual(["approved", "api key ops"]);
});
