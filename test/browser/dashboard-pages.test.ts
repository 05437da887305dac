import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createUser } from "../../src/auth/users.ts";
import { launchBrowser, screenshot, startServer, type TestServer } from "./browser.ts";
import { lateOrder, seriousViolations, signIn, waitFor } from "./late-order.ts";

/**
 * Every dashboard page, as an admin (who sees them all), at desktop and phone widths: no serious
 * or critical axe-core violation, no horizontal scrolling at 390 px, a screenshot of each under
 * test-results/, and the server time of each page with the demo data printed (not asserted).
 */
const PASSWORD = "correct horse battery staple";
const EMAIL = "ada.admin@example.com";
const WIDTHS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

let server: TestServer;
let browser: Browser | undefined;
let recoveryPath = "";

beforeAll(async () => {
  server = await startServer({ fakeProviders: true });
  await createUser(
    server.runtime.prisma,
    { email: EMAIL, name: "Ada Admin", role: "admin", password: PASSWORD },
    "test",
  );
  await lateOrder(server);
  const d = await server.runtime.prisma.disruption.findFirstOrThrow({ where: { customerId: "cust-grace" } });
  recoveryPath = `/dashboard/recoveries/${d.id}`;
  await waitFor(
    async () => (await server.runtime.prisma.message.count({ where: { disruptionId: d.id, status: "sent" } })) > 0,
    "the apology",
  );
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const pages = (): Array<[string, string]> => [
  ["overview", "/dashboard"],
  ["recoveries", "/dashboard/recoveries"],
  ["recovery", recoveryPath],
  ["approvals", "/dashboard/approvals"],
  ["attention", "/dashboard/attention"],
  ["templates", "/dashboard/templates"],
  ["template-editor", "/dashboard/templates/shipment_delay/email/en"],
  ["policies", "/dashboard/policies"],
  ["outbox", "/dashboard/outbox"],
  ["keys", "/dashboard/keys"],
  ["audit", "/dashboard/audit"],
];

for (const size of WIDTHS) {
  it(`every page at ${size.name} (${size.width} px): accessible (axe-core), no horizontal overflow, fast`, async () => {
    const context = await (browser as Browser).newContext({
      baseURL: server.url,
      viewport: { width: size.width, height: size.height },
      timezoneId: "Europe/Paris",
      bypassCSP: true, // only so axe-core can be injected; the CSP itself is tested in test/app/dashboard
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto("/dashboard/login");
    expect(await seriousViolations(page), "login").toEqual([]);
    await screenshot(page, `page-login-${size.name}`);
    await signIn(page, EMAIL, PASSWORD);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const timings: string[] = [];
    for (const [name, path] of pages()) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await page.waitForLoadState("load");
      expect(await seriousViolations(page), `${name} at ${size.name}`).toEqual([]);
      const overflow = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      }));
      expect(overflow.scroll, `${name} scrolls sideways at ${size.width} px`).toBeLessThanOrEqual(overflow.viewport);
      // The browser's zone is the one the times are shown in, and it is named.
      expect(await page.locator("main").innerText(), name).toContain("Times are shown in Europe/Paris");
      await screenshot(page, `page-${name}-${size.name}`);
      // Server time: the whole response, read over loopback (best of three: the machine is shared).
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const r = await fetch(`${server.url}${path}`, { headers: { cookie, accept: "text/html" } });
        await r.text();
        best = Math.min(best, performance.now() - started);
      }
      timings.push(`${name.padEnd(16)} ${best.toFixed(1).padStart(6)} ms`);
    }
    if (size.name === "phone") {
      // The navigation is one "Menu" (a <details>) on a phone; it opens and links work.
      await page.goto("/dashboard/recoveries");
      await expect.poll(() => page.locator("nav.main.wide").isVisible()).toBe(false);
      await page.locator("details.menu summary").click();
      await page.locator("details.menu nav a", { hasText: "Approvals" }).click();
      await page.waitForURL("**/dashboard/approvals");
    }
    console.log(`server time per page (${size.name}, best of 3):\n${timings.join("\n")}`);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
}
