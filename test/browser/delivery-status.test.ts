import { createHmac } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../src/auth/prisma-key-store.ts";
import { createUser } from "../../src/auth/users.ts";
import { launchBrowser, screenshot, startServer, type TestServer } from "./browser.ts";

const PASSWORD = "correct horse battery staple";
const EMAIL = "vera.viewer@example.com";
const SECRET = Buffer.from("makegood-browser-webhook-secret!");

let server: TestServer;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startServer({
    fakeProviders: true,
    env: { RESEND_WEBHOOK_SECRET: `whsec_${SECRET.toString("base64")}` },
  });
  await createUser(
    server.runtime.prisma,
    { email: EMAIL, name: "Vera Viewer", role: "viewer", password: PASSWORD },
    "test",
  );
  browser = await launchBrowser();
  context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
}, 60_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** Resend's webhook over HTTP, signed the Svix way with node:crypto. */
async function resendWebhook(type: string, emailId: string): Promise<number> {
  const body = JSON.stringify({ type, created_at: new Date().toISOString(), data: { email_id: emailId } });
  const id = `msg_${type}_${emailId}`;
  const ts = String(Math.floor(Date.now() / 1000));
  const mac = createHmac("sha256", SECRET).update(`${id}.${ts}.${body}`).digest("base64");
  const response = await fetch(`${server.url}/webhooks/resend`, {
    method: "POST",
    headers: { "content-type": "application/json", "svix-id": id, "svix-timestamp": ts, "svix-signature": `v1,${mac}` },
    body,
  });
  return response.status;
}

it("the recovery's timeline shows what Resend reported: sent, then delivered", async () => {
  const key = await createApiKey(prismaApiKeyStore(server.runtime.prisma), "ops", ["events:write", "customers:write"]);
  const api = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };
  await api("PUT", "/api/customers/cust-katherine", {
    name: "Katherine Johnson",
    email: "katherine@example.com",
    locale: "en-US",
    timeZone: "UTC",
    tier: "standard",
    preferredChannel: "email",
    consent: { email: true, sms: false },
  });
  const now = Date.now();
  await api("POST", "/api/events", {
    id: "carrier-ORD-200-eta-1",
    type: "shipment.eta_updated",
    occurredAt: new Date(now).toISOString(),
    data: {
      orderId: "ORD-200",
      customerId: "cust-katherine",
      promisedBy: new Date(now + 86_400_000).toISOString(),
      newEta: new Date(now + 3 * 86_400_000).toISOString(),
      reason: "a storm closed the carrier's hub",
    },
  });
  const prisma = server.runtime.prisma;
  await expect
    .poll(() => prisma.message.count({ where: { status: "sent", channel: "email" } }), { timeout: 20_000 })
    .toBe(1);
  const message = await prisma.message.findFirstOrThrow({ where: { status: "sent", channel: "email" } });
  expect(await resendWebhook("email.sent", message.providerId as string)).toBe(200);
  expect(await resendWebhook("email.delivered", message.providerId as string)).toBe(200);

  await page.goto(`/dashboard/recoveries/${message.disruptionId}`);
  await page.waitForURL("**/dashboard/login**");
  await page.fill("#email", EMAIL);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`**/dashboard/recoveries/${message.disruptionId}`);

  const history = page.locator("ol.delivery").first();
  expect(await history.getAttribute("data-delivery")).toBe("delivered");
  expect(await history.locator("li").allInnerTexts()).toEqual([
    expect.stringContaining("sent"),
    expect.stringContaining("delivered"),
  ]);
  expect(
    await page.locator("ol.timeline li", { hasText: "Email apology delivered to katherine@example.com" }).count(),
  ).toBe(1);
  await history.scrollIntoViewIfNeeded();
  await screenshot(page, "recovery-delivery-status", { fullPage: false });
}, 90_000);
