import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createUser } from "../../src/auth/users.ts";
import { VirtualClock } from "../../src/engine/index.ts";
import { expected, seedTrends } from "../app/dashboard/overview-seed.ts";
import { launchBrowser, screenshot, startServer, type TestServer } from "./browser.ts";
import { seriousViolations, signIn } from "./late-order.ts";

/**
 * A manager reads the overview in Chromium, at desktop and phone widths: the figures with the
 * previous period and their trends pass axe-core and fit a phone, clicking "Told first" opens
 * exactly the notified recoveries of the period (the filter said in words), a day's bar opens
 * that day's, and "Clear filters" shows them all. Screenshots go to test-results/.
 */
const PASSWORD = "correct horse battery staple";
const EMAIL = "mona.manager@example.com";
const WIDTHS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

let server: TestServer;
let browser: Browser | undefined;
let seeded: Awaited<ReturnType<typeof seedTrends>>;

beforeAll(async () => {
  // The seeded weeks end on the virtual clock's 2026-01-05 09:00 UTC.
  server = await startServer({ clock: new VirtualClock(), config: { DEMO_DATA: "false" } });
  seeded = await seedTrends(server.runtime.prisma);
  await createUser(
    server.runtime.prisma,
    { email: EMAIL, name: "Mona Manager", role: "manager", password: PASSWORD },
    "test",
  );
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

for (const size of WIDTHS) {
  it(`at ${size.name} (${size.width} px): the overview is accessible and its figures open their recoveries`, async () => {
    const context = await (browser as Browser).newContext({
      baseURL: server.url,
      viewport: { width: size.width, height: size.height },
      timezoneId: "UTC",
      bypassCSP: true, // only so axe-core can be injected
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto("/dashboard/login");
    await signIn(page, EMAIL, PASSWORD);

    await page.goto("/dashboard?days=7");
    const told = page.locator('[data-metric="proactive-rate"]');
    await expect.poll(() => told.locator(".compare").innerText()).toMatch(/^previous 7 days \d+%/);
    expect(await seriousViolations(page), `overview at ${size.name}`).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "the overview scrolls sideways").toBeLessThanOrEqual(0);
    await screenshot(page, `overview-trends-${size.name}`, { fullPage: true });

    // The figure → the notified recoveries of the period, said in words, exactly as many.
    const period = expected(seeded, new Date("2025-12-30T00:00:00Z"), new Date("2026-01-05T09:00:00Z"));
    await told.locator(".big a").click();
    await page.waitForURL(/\/dashboard\/recoveries\?outcome=notified/);
    await expect.poll(() => page.locator("[data-active-filters]").innerText()).toContain("customer told");
    expect(await page.locator("[data-active-filters]").innerText()).toContain("detected from 30 Dec 2025");
    const rows = page.locator("table.recoveries tbody tr");
    expect(await rows.count()).toBe(Math.min(25, period.notified));
    expect(await seriousViolations(page), `filtered list at ${size.name}`).toEqual([]);
    const listOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(listOverflow, "the filtered list scrolls sideways").toBeLessThanOrEqual(0);
    await screenshot(page, `overview-drill-told-first-${size.name}`);

    // A day's bar of the disruptions chart → that day's recoveries told first.
    await page.goto("/dashboard?days=7");
    const bar = page.locator('[data-metric="disruptions"] svg a[aria-label^="31 Dec: "][aria-label*="told first"]');
    const label = (await bar.getAttribute("aria-label")) ?? "";
    const n = Number(/: (\d+) told first/.exec(label)?.[1]);
    expect(n).toBeGreaterThan(0);
    await bar.click();
    await page.waitForURL(/outcome=told_first&from=2025-12-31&to=2025-12-31/);
    expect(await rows.count()).toBe(n);
    expect(await page.locator("[data-active-filters]").innerText()).toContain("we told the customer first");
    await screenshot(page, `overview-drill-day-${size.name}`);

    // Clear filters → every recovery again.
    await page.locator("[data-active-filters] a.clear").click();
    await page.waitForURL(/\/dashboard\/recoveries$/);
    expect(await page.locator("[data-active-filters]").count()).toBe(0);
    expect(await rows.count()).toBe(25);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
}
