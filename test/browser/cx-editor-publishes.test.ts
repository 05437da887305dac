import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../src/auth/prisma-key-store.ts";
import { createUser } from "../../src/auth/users.ts";
import { launchBrowser, screenshot, startServer, type TestServer } from "./browser.ts";

const PASSWORD = "correct horse battery staple";
const EDITOR = "/dashboard/templates/shipment_delay/sms/en";
const NEW_SMS =
  "Hi {{ customer.firstName }}, order {{ shipment.orderId }} is late, please wait. New delivery: {{ shipment.newEta | datetime }}. Track: {{ shipment.trackingUrl }} {{ optOutText }}";

/** A time zone where it is about noon now, so the SMS is not held for quiet hours (real time here). */
function noonZone(): string {
  const n = new Date().getUTCHours() - 12; // Etc/GMT+n is UTC−n
  return n === 0 ? "Etc/GMT" : n > 0 ? `Etc/GMT+${n}` : `Etc/GMT-${-n}`;
}

describe("a CX editor changes the shipment-delay SMS in the browser", () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    server = await startServer({ fakeProviders: true, config: { DEMO_DATA: "false" } });
    await createUser(
      server.runtime.prisma,
      { email: "cleo@example.com", name: "Cleo Editor", role: "cx_editor", password: PASSWORD },
      "test",
    );
    await createUser(
      server.runtime.prisma,
      { email: "vic@example.com", name: "Vic Viewer", role: "viewer", password: PASSWORD },
      "test",
    );
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    browser ??= await launchBrowser();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));
  });
  afterEach(async () => {
    await context?.close();
  });

  async function login(email: string) {
    await page.goto("/dashboard/login");
    await page.locator("#email").fill(email);
    await page.locator("#password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/dashboard");
  }

  /** A shipment delay for a new customer through the API; the SMS they get. */
  async function shipmentDelay(n: number): Promise<string | undefined> {
    const key = await createApiKey(prismaApiKeyStore(server.runtime.prisma), `carrier-${n}`, [
      "events:write",
      "customers:write",
    ]);
    const api = (method: string, path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const phone = `+1212555030${n}`;
    const put = await api("PUT", `/api/customers/c-browser-${n}`, {
      name: "Ada Lovelace",
      email: `ada${n}@example.com`,
      phone,
      locale: "en-US",
      timeZone: noonZone(),
      tier: "standard",
      preferredChannel: "both",
      consent: { email: true, sms: true },
    });
    expect(put.status).toBe(200);
    const now = Date.now();
    const sent = await api("POST", "/api/events", {
      id: `carrier-BRW-${n}-eta-1`,
      type: "shipment.eta_updated",
      occurredAt: new Date(now - 60_000).toISOString(),
      data: {
        orderId: `BRW-${n}`,
        customerId: `c-browser-${n}`,
        promisedBy: new Date(now + 24 * 3_600_000).toISOString(),
        newEta: new Date(now + 4 * 24 * 3_600_000).toISOString(),
        trackingUrl: `https://track.example.com/BRW-${n}`,
      },
    });
    expect(sent.status).toBe(202);
    const deadline = Date.now() + 20_000;
    while (!server.twilio?.deliveries.some((d) => d.to === phone) && Date.now() < deadline)
      await new Promise((ok) => setTimeout(ok, 100));
    return server.twilio?.deliveries.find((d) => d.to === phone)?.body;
  }

  it("previews with a warning and the segment count, saves, sees the replay over past disruptions (counts and a diff), publishes, and the next shipment delay uses the new text", async () => {
    // A past disruption, told with the text in force.
    const before = await shipmentDelay(1);
    expect(before).toContain("BRW-1");
    expect(before).not.toContain("please wait");
    await login("cleo@example.com");
    await page.getByRole("link", { name: "Templates" }).click();
    await page.waitForURL("**/dashboard/templates");
    await page.getByRole("link", { name: "Edit shipment_delay.sms.en" }).click();
    await page.waitForURL(`**${EDITOR}`);
    expect(await page.locator("h1").innerText()).toBe("shipment_delay · sms · en");
    const publishedSegments = await page.locator(".sms-facts .segments").innerText();
    expect(publishedSegments).toMatch(/^\d+ segments?$/);

    // The SMS body is a CodeMirror editor over the (hidden) textarea the form posts.
    await page.locator(".liquid-editor-body .cm-content").click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.insertText(NEW_SMS);
    expect(await page.locator("#f-body").inputValue()).toBe(NEW_SMS);
    await page.getByRole("button", { name: "Preview", exact: true }).click();
    await page.waitForURL(`**${EDITOR}/preview`);
    expect(await page.locator(".warnings").innerText()).toContain('"please wait" is generic');
    expect(await page.locator(".sms-facts .encoding").innerText()).toBe("GSM-7");
    expect(await page.locator(".sms-facts .segments").innerText()).toMatch(/^\d+ segments?$/);
    expect(await page.locator(".sms-facts .segment-change").innerText()).toMatch(/^published version: \d+ segments?/);
    expect(await page.locator("[data-testid=sms-preview]").innerText()).toContain("is late, please wait.");
    await screenshot(page, "template-studio-preview");

    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(`**${EDITOR}/save`);
    expect(await page.getByRole("status").innerText()).toContain("Saved as draft version 2 (with warnings)");
    expect(await page.locator(".warnings").innerText()).toContain('"please wait"');
    // Publishing goes through the replay: what version 2 would have changed for past disruptions.
    expect(await page.getByRole("button", { name: "Publish version 2" }).count()).toBe(0);
    const deliveries = server.twilio?.deliveries.length;
    await page.getByRole("link", { name: "Replay version 2 before publishing" }).click();
    await page.waitForURL(`**${EDITOR}/replay/2`);
    expect(await page.locator("[data-figure=messages] .big").innerText()).toBe("1");
    expect(await page.locator("[data-figure=changed] .big").innerText()).toBe("1");
    expect(await page.locator("pre.diff .del").first().innerText()).toContain("Hi Ada");
    expect(await page.locator("pre.diff .add").first().innerText()).toContain(
      "Hi Ada, order BRW-1 is late, please wait.",
    );
    expect(await page.locator("[data-replay-window]").innerText()).toContain("Nothing was sent");
    await screenshot(page, "template-replay");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "template-replay-390");
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(server.twilio?.deliveries.length).toBe(deliveries);
    await page.getByRole("button", { name: "Publish version 2" }).click();
    await page.waitForURL(`**${EDITOR}?published=2`);
    expect(await page.getByRole("status").innerText()).toContain("Version 2 is published");
    expect(await page.locator("p.muted").first().innerText()).toContain("Published: version 2");
    await screenshot(page, "template-studio-published");

    await page.getByRole("link", { name: "Version history" }).click();
    expect(await page.locator("pre.diff .add").first().innerText()).toContain("please wait");
    await screenshot(page, "template-studio-history");
    expect(pageErrors).toEqual([]);

    // The next shipment delay, through the API, uses the published text.
    const sms = await shipmentDelay(2);
    expect(sms).toContain("Hi Ada, order BRW-2 is late, please wait.");
  });

  it("a viewer opening the editor gets 403", async () => {
    await login("vic@example.com");
    const response = await page.goto(EDITOR);
    expect(response?.status()).toBe(403);
    expect(await page.locator("h1").innerText()).toBe("Not allowed");
    await screenshot(page, "template-studio-viewer-403");
  });

  it("a viewer cannot post an approval decision, even with a valid CSRF token from their own page", async () => {
    await login("vic@example.com");
    await page.goto("/dashboard/approvals");
    const status = await page.evaluate(async () => {
      const csrf = (document.querySelector('input[name="_csrf"]') as HTMLInputElement | null)?.value ?? "";
      const body = new URLSearchParams({ _csrf: csrf, decision: "approve", note: "", confirm: "yes" });
      const response = await fetch("/dashboard/approvals/appr_any/decide", { method: "POST", body });
      return { status: response.status, hadToken: csrf.length > 0 };
    });
    expect(status).toEqual({ status: 403, hadToken: true });
  });
});
