import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { silentLogger } from "../../../src/engine/types.ts";
import { createNodeRuntime } from "../../../src/node-runtime.ts";
import type { NodeWorld as World } from "../stories/world.ts";
import {
  apologyOn,
  lateParcel,
  postResend,
  postTwilioStatus,
  putCustomer,
  resendEvent,
  STATUS_URL,
  startDeliveryWorld,
} from "./delivery-world.ts";

// QUALITY R11 for delivery reports: valid, forged, stale and replayed webhooks from both providers;
// each message's status history on the record, in /api/messages and on the recovery's timeline.
let w: World;
beforeAll(async () => {
  w = await startDeliveryWorld();
});
afterAll(() => w.stop());

const events = (messageId: string) =>
  w.prisma.deliveryEvent.findMany({ where: { messageId }, orderBy: [{ at: "asc" }, { receivedAt: "asc" }] });

describe("Resend webhooks (POST /webhooks/resend)", () => {
  let email: { id: string; providerId: string | null; disruptionId: string };

  test("a signed email.sent then email.delivered are recorded in order, and the message is delivered", async () => {
    await putCustomer(w, "rs-a");
    const d = await lateParcel(w, "RS-1", "rs-a");
    email = await apologyOn(w, d.id, "email");
    expect(email.providerId).toBeTruthy();
    const id = email.providerId as string;

    expect((await postResend(w, resendEvent(w, "email.sent", id))).status).toBe(200);
    const delivered = await postResend(w, resendEvent(w, "email.delivered", id));
    expect(delivered).toMatchObject({ status: 200, body: { received: true, applied: true } });

    expect((await events(email.id)).map((e) => e.status)).toEqual(["sent", "delivered"]);
    const row = await w.prisma.message.findUniqueOrThrow({ where: { id: email.id } });
    expect(row).toMatchObject({ status: "sent", deliveryStatus: "delivered" });
    expect(row.deliveredAt).toBeInstanceOf(Date);
  });

  test("a replayed delivery (same svix-id) is answered 200 and applied once", async () => {
    const id = email.providerId as string;
    const first = await postResend(w, resendEvent(w, "email.delivery_delayed", id));
    expect(first.status).toBe(200);
    const again = await postResend(w, resendEvent(w, "email.delivery_delayed", id), { id: first.id });
    expect(again).toMatchObject({ status: 200, body: { applied: false } });
    expect((await events(email.id)).filter((e) => e.status === "delivery_delayed")).toHaveLength(1);
    // A late "delayed" never moves a delivered message back.
    expect((await w.prisma.message.findUniqueOrThrow({ where: { id: email.id } })).deliveryStatus).toBe("delivered");
  });

  test("forged, stale, tampered and unsigned deliveries get 401 and change nothing", async () => {
    const id = email.providerId as string;
    const before = (await events(email.id)).length;
    const bounce = resendEvent(w, "email.bounced", id, { bounce: { type: "Permanent", message: "no such user" } });
    const forged = await postResend(w, bounce, { key: Buffer.from("someone-else-s-secret-32-bytes!!") });
    const stale = await postResend(w, bounce, { ageSeconds: 6 * 60 });
    const tampered = await postResend(w, resendEvent(w, "email.delivered", id), {
      body: JSON.stringify(bounce), // signed one body, sent another
    });
    const unsigned = await w.runtime.app.request("/webhooks/resend", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(bounce),
    });
    for (const status of [forged.status, stale.status, tampered.status, unsigned.status]) expect(status).toBe(401);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
    expect(await events(email.id)).toHaveLength(before);
    expect((await w.prisma.message.findUniqueOrThrow({ where: { id: email.id } })).deliveryStatus).toBe("delivered");
    // Just inside the 5-minute tolerance is accepted.
    expect((await postResend(w, resendEvent(w, "email.delivered", id), { ageSeconds: 4 * 60 })).status).toBe(200);
  });

  test("an event about an email that is not ours, or of a type we do not track, is acknowledged and ignored", async () => {
    expect(await postResend(w, resendEvent(w, "email.delivered", "not-ours"))).toMatchObject({
      status: 200,
      body: { applied: false },
    });
    expect(await postResend(w, resendEvent(w, "email.opened", email.providerId as string))).toMatchObject({
      status: 200,
      body: { applied: false },
    });
  });
});

describe("Twilio status callbacks (POST /webhooks/twilio/status)", () => {
  let sms: { id: string; providerId: string | null };

  test("the SMS send asks Twilio for status callbacks at the public URL", async () => {
    await putCustomer(w, "tw-a", { preferredChannel: "sms", phone: "+447911123701" });
    const d = await lateParcel(w, "TW-1", "tw-a");
    sms = await apologyOn(w, d.id, "sms");
    const forms = w.twilio.requests.map((r) => (r.body ?? {}) as Record<string, string>);
    const sent = forms.find((form) => form.To === "+447911123701");
    expect(sent?.StatusCallback).toBe(STATUS_URL);
  });

  test("queued → sent → delivered, signed for the public URL, are recorded; replays are applied once", async () => {
    const sid = sms.providerId as string;
    for (const status of ["queued", "sent", "delivered"])
      expect((await postTwilioStatus(w, sid, status)).status).toBe(204);
    expect((await postTwilioStatus(w, sid, "delivered")).status).toBe(204); // Twilio retried
    expect((await events(sms.id)).map((e) => e.status)).toEqual(["queued", "sent", "delivered"]);
    // Twilio's signature has no timestamp: an old callback replayed later is a replay, and never moves a message back.
    expect((await postTwilioStatus(w, sid, "sent")).status).toBe(204);
    expect(await events(sms.id)).toHaveLength(3);
    expect((await w.prisma.message.findUniqueOrThrow({ where: { id: sms.id } })).deliveryStatus).toBe("delivered");
  });

  test("forged, tampered or unsigned callbacks get 403 and change nothing", async () => {
    const sid = sms.providerId as string;
    const forged = await postTwilioStatus(w, sid, "failed", { signature: "bm90IGEgc2lnbmF0dXJl" });
    const unsigned = await postTwilioStatus(w, sid, "failed", { signature: null });
    expect([forged.status, unsigned.status]).toEqual([403, 403]);
    expect(await events(sms.id)).toHaveLength(3);
  });
});

describe("statuses where people and clients read them", () => {
  test("GET /api/messages shows each message's delivery status and its history; it filters by delivery status", async () => {
    const all = await w.request("GET", "/api/messages?deliveryStatus=delivered");
    expect(all.status).toBe(200);
    const messages = all.body.messages as Array<{
      channel: string;
      deliveryStatus: string;
      deliveryEvents: Array<{ status: string; provider: string }>;
    }>;
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (const m of messages) expect(m.deliveryStatus).toBe("delivered");
    const sms = messages.find((m) => m.channel === "sms");
    expect(sms?.deliveryEvents.map((e) => e.status)).toEqual(["queued", "sent", "delivered"]);
    expect(sms?.deliveryEvents[0]?.provider).toBe("twilio");
  });

  test("the recovery's timeline (API and dashboard) says the apology was delivered", async () => {
    const d = await w.prisma.disruption.findFirstOrThrow({ where: { subjectKey: "order:RS-1" } });
    const detail = await w.request("GET", `/api/disruptions/${d.id}`);
    const timeline = detail.body.timeline as Array<{ type: string; summary: string }>;
    expect(timeline).toContainEqual(
      expect.objectContaining({ type: "delivery", summary: "Email apology delivered to rs-a@example.com" }),
    );
    const messages = detail.body.messages as Array<{ deliveryEvents: Array<{ status: string }> }>;
    expect(messages[0]?.deliveryEvents.map((e) => e.status)).toContain("delivered");

    const { addUser } = await import("../dashboard/harness.ts");
    const { signedIn } = await import("../dashboard/recovery-seed.ts");
    const user = await addUser(w.runtime, "viewer");
    const { browser } = await signedIn(w.runtime, user, new Date(w.clock.now()));
    const page = await browser.request("GET", `/dashboard/recoveries/${d.id}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('data-delivery="delivered"');
    expect(html).toContain("Email apology delivered to rs-a@example.com");
  });

  test("GET /api/metrics gives the delivered rate per channel and provider and the time to delivered", async () => {
    const metrics = await w.request("GET", "/api/metrics");
    type Row = {
      channel: string;
      provider: string;
      delivered: number;
      deliveredRate: number | null;
      timeToDeliveredMs: { p50: number | null };
    };
    const delivery = metrics.body.delivery as { channels: Row[] };
    const email = delivery.channels.find((c) => c.channel === "email" && c.provider === "resend");
    const sms = delivery.channels.find((c) => c.channel === "sms" && c.provider === "twilio");
    expect(email).toMatchObject({ delivered: 1, deliveredRate: 1 });
    expect(sms).toMatchObject({ delivered: 1, deliveredRate: 1 });
    expect(sms?.timeToDeliveredMs.p50).not.toBeNull();
  });
});

test("without a webhook secret or Twilio, the delivery routes answer 404", async () => {
  const dir = mkdtempSync(join(tmpdir(), "makegood-no-webhooks-"));
  const config = loadConfig({ DATABASE_FILE: join(dir, "app.db"), ENGINE_DATABASE_FILE: join(dir, "engine.db") });
  const runtime = createNodeRuntime(config, silentLogger, { env: {} });
  try {
    for (const path of ["/webhooks/resend", "/webhooks/twilio/status"]) {
      const response = await runtime.app.request(path, { method: "POST", body: "{}" });
      expect(response.status, path).toBe(404);
    }
  } finally {
    await runtime.stop();
  }
});
