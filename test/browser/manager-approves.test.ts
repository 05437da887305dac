import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../src/auth/prisma-key-store.ts";
import { createUser } from "../../src/auth/users.ts";
import { launchBrowser, screenshot, startServer, type TestServer } from "./browser.ts";

const PASSWORD = "correct horse battery staple";
const EMAIL = "mona.manager@example.com";

let server: TestServer;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startServer({ fakeProviders: true });
  await createUser(
    server.runtime.prisma,
    { email: EMAIL, name: "Mona Manager", role: "manager", password: PASSWORD },
    "test",
  );
  browser = await launchBrowser();
  context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
}, 60_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** Story 2 through the API: a valued customer's important order will be four days late. */
async function lateOrder(): Promise<void> {
  const key = await createApiKey(prismaApiKeyStore(server.runtime.prisma), "ops", ["events:write", "customers:write"]);
  const api = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };
  await api("PUT", "/api/customers/cust-grace", {
    name: "Grace Hopper",
    email: "grace@example.com",
    phone: "+12125550101",
    locale: "en-US",
    timeZone: "UTC",
    tier: "valued",
    preferredChannel: "email",
    consent: { email: true, sms: false },
  });
  const now = Date.now();
  await api("POST", "/api/events", {
    id: "carrier-ORD-100-eta-1",
    type: "shipment.eta_updated",
    occurredAt: new Date(now).toISOString(),
    data: {
      orderId: "ORD-100",
      customerId: "cust-grace",
      promisedBy: new Date(now + 86_400_000).toISOString(),
      newEta: new Date(now + 5 * 86_400_000).toISOString(),
      carrier: "ParcelCo",
      reason: "a storm closed the carrier's hub",
      important: true,
      items: [{ sku: "TBL-1", name: "Linen tablecloth" }],
    },
  });
  await expect
    .poll(() => server.runtime.prisma.approval.count({ where: { status: "pending" } }), { timeout: 20_000 })
    .toBe(1);
}

it("a manager signs in, approves the pending gesture and sees the message the customer got", async () => {
  await lateOrder();

  await page.goto("/dashboard/approvals");
  await page.waitForURL("**/dashboard/login**");
  await page.fill("#email", EMAIL);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL("**/dashboard/approvals");

  const card = page.locator("section.approval").first();
  await expect.poll(() => card.innerText()).toContain("Grace Hopper");
  expect(await card.innerText()).toContain("EUR");
  await screenshot(page, "manager-approvals-queue");

  await card.locator("input[name=note]").fill("important order");
  await card.locator("input[name=confirm]").check();
  await card.locator("button[value=approve]").click();
  await page.waitForURL("**/dashboard/recoveries/**");
  expect(await page.locator("h1").innerText()).toContain("Grace Hopper");
  expect(await page.locator("body").innerText()).toContain("Approved by Mona Manager");

  // The apology went before anyone decided; the engine runs on the real clock: reload until the
  // gift's own message is on the page too (the gift is the last email).
  const gift = page.frameLocator("iframe.email").last().locator("body");
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await page.locator("iframe.email").count()) > 1 ? gift.innerText() : "";
      },
      { timeout: 30_000, interval: 500 },
    )
    .toMatch(/handmade chocolates/i);
  // One "Approved by" line, though both the dashboard and the workflow record the approval.
  expect(await page.locator("ol.timeline li", { hasText: "Approved by Mona Manager" }).count()).toBe(1);
  const email = page.locator("iframe.email").first();
  // No scripts, forms or navigation in the frame (same origin only so the page can size it to its content).
  expect(await email.getAttribute("sandbox")).toBe("allow-same-origin");
  const apology = page.frameLocator("iframe.email").first().locator("body");
  expect(await apology.innerText()).toContain("ORD-100");
  expect(await apology.innerText()).not.toMatch(/handmade chocolates/i);
  expect(await gift.innerText()).toContain("ORD-100");
  // The only scripts are the dashboard's own two (the viewer's zone, sizing email previews); none from an email.
  const scripts = await page.evaluate(() => [...document.querySelectorAll("script")].map((s) => s.textContent ?? ""));
  expect(scripts.map((s) => (s.includes("mg_tz") ? "zone" : s.includes("iframe.email") ? "frames" : s))).toEqual([
    "zone",
    "frames",
  ]);
  expect(pageErrors).toEqual([]);
  await screenshot(page, "manager-approved-recovery");
  await email.scrollIntoViewIfNeeded();
  await screenshot(page, "manager-approved-email", { fullPage: false });
}, 90_000);
