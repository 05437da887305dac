import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/auth/users.ts";
import { launchBrowser, screenshot, startServer, type TestServer } from "./browser.ts";
import { seriousViolations, signIn } from "./late-order.ts";

const PASSWORD = "correct horse battery staple";
const ID = "shipment-delay-critical-vip";
const WIDTHS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

describe("a manager reads the policies as tables in words, and deleting one asks first", () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ config: { DEMO_DATA: "false" } });
    await createUser(
      server.runtime.prisma,
      { email: "mona@example.com", name: "Mona Manager", role: "manager", password: PASSWORD },
      "test",
    );
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    await signIn(page, "mona@example.com", PASSWORD);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const stored = () => server.runtime.prisma.gesturePolicy.findUnique({ where: { id: ID } });

  it("groups policies by disruption kind, in words, with Delete unlike Save", async () => {
    await page.goto("/dashboard/policies");
    const lateDeliveries = page.locator('section.policy-group[data-kind="shipment_delay"]');
    expect(await lateDeliveries.locator("h3").innerText()).toBe("Late delivery");
    const row = lateDeliveries.locator(`[data-policy="${ID}"] tr`).first();
    expect(await row.locator("td").allInnerTexts()).toEqual([
      "Critical",
      "VIP customers",
      expect.stringMatching(/ \(\d+\.\d\d EUR\)$/),
      expect.stringMatching(/^(Given at once|A manager decides)/),
      "Delete…",
    ]);
    expect(await page.locator('section.policy-group[data-kind="flight_cancelled"] h3').innerText()).toBe(
      "Flight cancelled",
    );
    // Delete is outlined in the danger colour; Save (Replay and save…) is filled with the accent.
    await lateDeliveries.locator(`[data-policy="${ID}"] summary`).click();
    const look = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => {
          const s = getComputedStyle(el);
          return { color: s.color, background: s.backgroundColor };
        });
    const del = await look(`[data-policy="${ID}"] a.danger`);
    const save = await look(`[data-policy="${ID}"] form button`);
    expect(del.background).toBe("rgba(0, 0, 0, 0)");
    expect(del.color).toBe("rgb(179, 38, 30)"); // --danger
    expect(save.background).toBe("rgb(11, 110, 79)"); // --accent
    await page.locator(`[data-policy="${ID}"] summary`).click();
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await screenshot(page, `policies-tables-${size.name}`);
    }
    await page.setViewportSize(WIDTHS[0]);
  });

  it("Delete… opens a confirmation; Cancel keeps the policy, only the confirmed delete removes it", async () => {
    await page.goto("/dashboard/policies");
    await page.getByRole("link", { name: "Delete Late delivery · Critical · VIP customers…" }).click();
    await page.waitForURL(`**/dashboard/policies/rules/${ID}/delete`);
    expect(await page.locator("h1").innerText()).toBe(`Delete policy ${ID}?`);
    const text = await page.locator(".confirm-delete").innerText();
    expect(text).toContain("This cannot be undone.");
    expect(text).toContain("then follow the policy for late delivery · any severity · all customers");
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await screenshot(page, `policy-delete-confirm-${size.name}`);
    }
    await page.setViewportSize(WIDTHS[0]);
    expect(await stored()).not.toBeNull(); // asking deleted nothing

    await page.getByRole("link", { name: "Cancel, keep it" }).click();
    await page.waitForURL("**/dashboard/policies");
    expect(await stored()).not.toBeNull();
    expect(await page.locator(`[data-policy="${ID}"]`).count()).toBe(1);

    await page.getByRole("link", { name: "Delete Late delivery · Critical · VIP customers…" }).click();
    await page.waitForURL(`**/dashboard/policies/rules/${ID}/delete`);
    await page.getByRole("button", { name: `Delete policy ${ID}` }).click();
    await page.waitForURL("**/dashboard/policies?saved=*");
    expect(await page.locator(".saved").innerText()).toContain(`policy ${ID} deleted`);
    expect(await page.locator(`[data-policy="${ID}"]`).count()).toBe(0);
    expect(await stored()).toBeNull();
    expect(errors).toEqual([]);
  });

  it("no serious accessibility violation on the policies page and the confirmation, at desktop and 390 px", async () => {
    for (const size of WIDTHS) {
      const axeContext = await (browser as Browser).newContext({
        baseURL: server.url,
        viewport: { width: size.width, height: size.height },
        bypassCSP: true, // only so axe-core can be injected
      });
      const axePage = await axeContext.newPage();
      await signIn(axePage, "mona@example.com", PASSWORD);
      for (const path of ["/dashboard/policies", "/dashboard/policies/rules/flight-delayed/delete"]) {
        expect((await axePage.goto(path))?.status(), path).toBe(200);
        expect(await seriousViolations(axePage), `${path} at ${size.name}`).toEqual([]);
        const overflow = await axePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path} scrolls sideways at ${size.width} px`).toBeLessThanOrEqual(0);
      }
      await axeContext.close();
    }
  });
});
