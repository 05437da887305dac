import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { silentLogger } from "../../../src/engine/types.ts";
import { createNodeRuntime } from "../../../src/node-runtime.ts";
import { HOUR, putCustomer, startNodeWorld as startWorld, type NodeWorld as World } from "../stories/world.ts";

// QUALITY R10/R11: STOP suppresses SMS at once; forged and replayed webhooks change nothing.
// 10:00 UTC is daytime in London and 02:00 in Los Angeles.
let w: World;
beforeAll(async () => {
  w = await startWorld("2026-01-05T10:00:00Z");
});
afterAll(() => w.stop());

const URL = "http://localhost/webhooks/twilio/inbound";
const PHONE = "+447911123601";
const OUR_NUMBER = "+15005550006";

/** Signed here with node:crypto, independently of the code under test (Twilio's scheme: HMAC-SHA1 of URL + sorted params). */
function sign(params: Record<string, string>, token = w.twilio.authToken): string {
  const data =
    URL +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join("");
  return createHmac("sha1", token).update(data).digest("base64");
}

let sid = 0;
function sms(body: string, from = PHONE, messageSid = `SM${String(++sid).padStart(32, "0")}`): Record<string, string> {
  return {
    MessageSid: messageSid,
    SmsSid: messageSid,
    AccountSid: w.twilio.accountSid,
    From: from,
    To: OUR_NUMBER,
    Body: body,
    NumMedia: "0",
  };
}

async function inbound(params: Record<string, string>, signature: string | null = sign(params)) {
  const response = await w.runtime.app.request("/webhooks/twilio/inbound", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(signature === null ? {} : { "x-twilio-signature": signature }),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

const customer = (id: string, over: Record<string, unknown> = {}) =>
  putCustomer(w, id, { name: "Alan Turing", phone: PHONE, ...over });

async function lateParcel(orderId: string, customerId: string) {
  const sent = await w.request("POST", "/api/events", {
    id: `eta-${orderId}`,
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T09:55:00Z",
    data: {
      orderId,
      customerId,
      promisedBy: "2026-01-06T18:00:00Z",
      newEta: "2026-01-08T12:00:00Z",
      reason: "a missed connection at the hub",
    },
  });
  expect(sent.status).toBe(202);
  await w.settle();
  return w.prisma.disruption.findFirstOrThrow({ where: { subjectKey: `order:${orderId}` } });
}

const optedOut = async (id: string) => (await w.prisma.customer.findUniqueOrThrow({ where: { id } })).smsOptedOut;
const textsTo = (phone: string) => w.twilio.deliveries.filter((d) => d.to === phone);
const consentLines = (disruptionId: string) =>
  w.prisma.timelineEntry.findMany({ where: { disruptionId, type: "consent" }, orderBy: { at: "asc" } });

describe("inbound SMS: STOP and START", () => {
  let first: { id: string };
  let stop: Record<string, string>;

  test("a signed STOP opts out every customer with that number at once, logged on their open disruptions", async () => {
    await customer("stop-a");
    await customer("stop-b", { preferredChannel: "email" }); // the same (shared) number
    first = await lateParcel("STOP-1", "stop-a");
    expect(textsTo(PHONE)).toHaveLength(1); // the apology SMS, before any STOP
    const textsBefore = w.twilio.deliveries.length;

    stop = sms("  stop \n");
    const answer = await inbound(stop);
    expect(answer).toEqual({ status: 200, type: expect.stringContaining("text/xml"), text: "<Response/>" });
    expect(await optedOut("stop-a")).toBe(true);
    expect(await optedOut("stop-b")).toBe(true);
    expect(w.twilio.deliveries.length).toBe(textsBefore); // Twilio confirms; we send nothing
    const lines = await consentLines(first.id);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.summary).toContain("STOP");
  });

  test("a replayed delivery (same MessageSid) is processed once", async () => {
    const replay = await inbound(stop);
    expect(replay).toMatchObject({ status: 200, text: "<Response/>" });
    expect(await consentLines(first.id)).toHaveLength(1);
    expect(await w.prisma.webhookDelivery.count({ where: { id: `twilio:${stop.MessageSid}` } })).toBe(1);

    // Opt back in, then replay the old STOP: it must not opt the customer out again.
    expect((await inbound(sms("Start"))).status).toBe(200);
    expect(await optedOut("stop-a")).toBe(false);
    expect((await inbound(stop)).status).toBe(200);
    expect(await optedOut("stop-a")).toBe(false);
    expect((await inbound(sms("UNSUBSCRIBE"))).status).toBe(200);
    expect(await optedOut("stop-a")).toBe(true);
  });

  test("a later recovery skips SMS with reason opted_out and still emails", async () => {
    const textsBefore = textsTo(PHONE).length;
    const later = await lateParcel("STOP-2", "stop-a");
    expect(textsTo(PHONE)).toHaveLength(textsBefore);
    expect(w.resend.deliveries.filter((d) => JSON.stringify(d.to).includes("stop-a@example.com"))).toHaveLength(2);
    const skipped = await w.prisma.timelineEntry.findFirst({
      where: { disruptionId: later.id, type: "message", reason: { contains: "opted out" } },
    });
    expect(skipped?.summary).toBe("No sms apology");
    expect(await w.prisma.message.count({ where: { disruptionId: later.id, channel: "sms" } })).toBe(0);
  });

  test("forged, missing or tampered signatures get 403 with the error body and change nothing", async () => {
    const start = sms("START");
    const deliveries = await w.prisma.webhookDelivery.count();
    const bad = [
      await inbound(start, null),
      await inbound(start, sign(start, "not-the-auth-token")),
      await inbound({ ...start, From: "+447911123999" }, sign(start)), // tampered after signing
    ];
    for (const answer of bad) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.text)).toMatchObject({ error: { code: "forbidden", message: expect.any(String) } });
    }
    expect(await optedOut("stop-a")).toBe(true);
    expect(await w.prisma.webhookDelivery.count()).toBe(deliveries);

    // The same delivery, correctly signed, is then applied (it was never recorded as processed).
    expect((await inbound(start)).status).toBe(200);
    expect(await optedOut("stop-a")).toBe(false);
    expect(await optedOut("stop-b")).toBe(false);
  });

  test("a message that is not a keyword changes nothing; a form body is required", async () => {
    expect(await inbound(sms("Stop sending me these please"))).toMatchObject({ status: 200, text: "<Response/>" });
    expect(await optedOut("stop-a")).toBe(false);
    const json = await w.runtime.app.request("/webhooks/twilio/inbound", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(415);
  });

  test("STOP drops an SMS already composed and held for quiet hours", async () => {
    const phone = "+447911123602";
    await customer("stop-night", { phone, timeZone: "America/Los_Angeles" });
    const d = await lateParcel("STOP-NIGHT", "stop-night");
    const held = await w.prisma.message.findFirstOrThrow({ where: { disruptionId: d.id, channel: "sms" } });
    expect(held.status).toBe("deferred");
    expect((await inbound(sms("QUIT", phone))).status).toBe(200);
    await w.advance(8 * HOUR); // past 08:00 in Los Angeles
    expect(textsTo(phone)).toHaveLength(0);
    const dropped = await w.prisma.message.findUniqueOrThrow({ where: { id: held.id } });
    expect(dropped).toMatchObject({ status: "skipped", error: "opted_out" });
    expect(await consentLines(d.id)).toHaveLength(1);
  });
});

test("without Twilio configured, the inbound route answers 404", async () => {
  const dir = mkdtempSync(join(tmpdir(), "makegood-no-twilio-"));
  const config = loadConfig({ DATABASE_FILE: join(dir, "app.db"), ENGINE_DATABASE_FILE: join(dir, "engine.db") });
  const runtime = createNodeRuntime(config, silentLogger, { env: {} });
  try {
    const response = await runtime.app.request("/webhooks/twilio/inbound", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "x" },
      body: "Body=STOP&From=%2B447911123601&MessageSid=SM1",
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
  } finally {
    await runtime.stop();
  }
});
