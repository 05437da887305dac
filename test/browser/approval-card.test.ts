import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createUser } from "../../src/auth/users.ts";
import { launchBrowser, screenshot, startServer, type TestServer } from "./browser.ts";
import { lateOrder, signIn } from "./late-order.ts";

const PASSWORD = "correct horse battery staple";
const EMAIL = "mona.manager@example.com";

let server: TestServer;
let browser: Browser | undefined;

beforeAll(async () => {
  server = await startServer({ fakeProviders: true });
  await createUser(
    server.runtime.prisma,
    { email: EMAIL, name: "Mona Manager", role: "manager", password: PASSWORD },
    "test",
  );
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

for (const size of [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const) {
  it(`a manager decides from the card alone at ${size.name}: the real messages either way; a missing confirm keeps the note`, async () => {
    const customerId = `cust-grace-${size.name}`;
    await lateOrder(server, customerId, `ORD-${size.name}`);
    const context = await (browser as Browser).newContext({
      baseURL: server.url,
      viewport: { width: size.width, height: size.height },
      timezoneId: "America/New_York",
    });
    const page = await context.newPage();
    await signIn(page, EMAIL, PASSWORD);
    await page.goto("/dashboard/approvals");
    const approval = await server.runtime.prisma.approval.findFirstOrThrow({
      where: { status: "pending", disruption: { customerId } },
    });
    const card = page.locator(`section.approval[data-approval="${approval.id}"]`);
    const text = await card.innerText();
    // Who, what happened and how late, what they have been told, the cost against budget and limit.
    expect(text).toContain("Grace Hopper · Valued");
    expect(text).toContain("4 days late");
    expect(text).toContain("ORD-");
    expect(text).toMatch(/Apology by Email, .* (EST|EDT|GMT-[45]) \(.* customer's time, London\)/);
    expect(text).toContain("120.00 EUR");
    expect(text).toMatch(/Budget left this month: [\d.]+ EUR of [\d.]+ EUR/);
    expect(text).toContain("Within your approval limit of 250.00");
    expect(text).not.toMatch(/shipment_delay|awaiting_approval|pending_approval/);

    // The previews are the messages the sending code renders for Grace, in her language.
    const approved = card.locator('[data-preview="approve"] iframe.email').contentFrame().locator("body");
    const denied = card.locator('[data-preview="deny"] iframe.email').contentFrame().locator("body");
    expect(await approved.innerText()).toMatch(/handmade chocolates/i);
    expect(await approved.innerText()).toContain("Grace");
    expect(await denied.innerText()).toMatch(/credit on your next order/i);
    expect(await denied.innerText()).not.toMatch(/handmade chocolates/i);
    const previewSubject = await card.locator('[data-preview="approve"] .subject').innerText();
    // The email preview is shown whole: its frame is as tall as its content.
    const frame = await card.locator('[data-preview="approve"] iframe.email').evaluate((f: HTMLIFrameElement) => ({
      frame: f.getBoundingClientRect().height,
      content: f.contentDocument?.documentElement.scrollHeight ?? 0,
    }));
    expect(frame.frame).toBeGreaterThanOrEqual(frame.content);
    await screenshot(page, `approval-card-${size.name}`);

    // Approve without ticking the confirmation: the error is on the card and the note is kept.
    await card.locator("input[name=note]").fill("important order, wedding on Friday");
    await card.locator("button[value=approve]").click();
    await page.waitForLoadState("load");
    const again = page.locator(`section.approval[data-approval="${approval.id}"]`);
    expect(await again.locator("[role=alert]").innerText()).toContain("needs the confirmation box ticked");
    expect(await again.locator("input[name=note]").inputValue()).toBe("important order, wedding on Friday");
    expect(await page.locator("h1").innerText()).toBe("Approvals");
    await screenshot(page, `approval-card-missing-confirm-${size.name}`);

    // With the keyboard: the confirmation has the focus; Space ticks it, Tab reaches Approve, Enter decides.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("confirm");
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Approve");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/dashboard/recoveries/**");
    expect(await page.locator("body").innerText()).toContain("Approved by Mona Manager");
    const decided = await server.runtime.prisma.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(decided).toMatchObject({ status: "approved", note: "important order, wedding on Friday" });

    // What Grace then gets is what the card showed.
    await expect
      .poll(
        async () =>
          (
            await server.runtime.prisma.message.findFirst({
              where: { disruptionId: approval.disruptionId, purpose: "gesture", status: "sent" },
            })
          )?.subject ?? null,
        { timeout: 30_000, interval: 250 },
      )
      .toBe(previewSubject);
    await context.close();
  }, 120_000);
}
