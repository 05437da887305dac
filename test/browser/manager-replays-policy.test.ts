import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/auth/users.ts";
import { launchBrowser, screenshot, startServer, type TestServer } from "./browser.ts";

const PASSWORD = "correct horse battery staple";
const DAY = 86_400_000;
/** Past cancelled flights in the last 30 days (the default policy: a 50 EUR meal voucher, approval above 100). */
const FLIGHTS = 6;

describe("a manager lowers an approval limit in the browser", () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({ config: { DEMO_DATA: "false" } });
    const prisma = server.runtime.prisma;
    await createUser(
      prisma,
      { email: "mona@example.com", name: "Mona Manager", role: "manager", password: PASSWORD },
      "test",
    );
    for (let i = 0; i < FLIGHTS; i++) {
      const at = new Date(Date.now() - (i + 1) * DAY);
      await prisma.customer.create({ data: { id: `c-pax-${i}`, name: `Passenger ${i}`, email: `p${i}@example.com` } });
      await prisma.disruption.create({
        data: {
          id: `dis_pax_${i}`,
          customerId: `c-pax-${i}`,
          kind: "flight_cancelled",
          subjectKey: `booking:PAX-${i}`,
          severity: "high",
          status: "resolved",
          reason: "cancelled",
          facts: "{}",
          signalAt: at,
          detectedAt: at,
        },
      });
    }
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it("replays the lower limit — the approvals it would have created and the spend change — then saves it", async () => {
    await page.goto("/dashboard/login");
    await page.locator("#email").fill("mona@example.com");
    await page.locator("#password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/dashboard");
    await page.goto("/dashboard/policies");

    // Each policy is a row in words; its form is folded under it ("Change").
    const policy = page.locator('[data-policy="flight-cancelled"]');
    expect(await policy.locator("td").first().innerText()).toBe("Any severity");
    await policy.locator("summary", { hasText: "Change" }).click();
    const row = policy.locator("form").first();
    await row.getByLabel("Approval limit").fill("40");
    await row.getByRole("button", { name: "Replay and save…" }).click();
    await page.waitForURL("**/dashboard/policies/rules/flight-cancelled/replay");
    expect(await page.locator("h1").innerText()).toBe("Replay: policy flight-cancelled");
    expect(await page.locator("[data-figure=disruptions] .big").innerText()).toBe(String(FLIGHTS));
    expect(await page.locator("[data-figure=approvals] .big").innerText()).toBe(`0 → ${FLIGHTS}`);
    expect(await page.locator("[data-figure=auto-spend-change] .big").innerText()).toBe(`${-50 * FLIGHTS} EUR`);
    expect(await page.locator("[data-figure=changed] .big").innerText()).toBe(String(FLIGHTS));
    await screenshot(page, "policy-replay");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "policy-replay-390");
    // At phone width the replay's table scrolls in its own box; the card does not overflow.
    const card = await page
      .locator("[data-replay=policy]")
      .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(card.scroll).toBeLessThanOrEqual(card.client);
    await page.setViewportSize({ width: 1280, height: 900 });
    // Replay only: the policy is unchanged until saved from here.
    const stored = async () =>
      Number(
        (await server.runtime.prisma.gesturePolicy.findUniqueOrThrow({ where: { id: "flight-cancelled" } }))
          .approvalLimit,
      );
    expect(await stored()).toBe(100);

    await page.getByRole("button", { name: "Save this change" }).click();
    await page.waitForURL("**/dashboard/policies?saved=*");
    expect(await page.locator(".saved").innerText()).toContain("policy flight-cancelled");
    expect(await stored()).toBe(40);
  });
});
