import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUser } from "../../src/auth/users.ts";
import { EDITOR_SCRIPT_PATH } from "../../src/dashboard/editor/asset.ts";
import { sampleVariables } from "../../src/templates/variables.ts";
import { launchBrowser, screenshot, startServer, type TestServer } from "./browser.ts";
import { seriousViolations, signIn } from "./late-order.ts";

const PASSWORD = "correct horse battery staple";
const SMS_EDITOR = "/dashboard/templates/shipment_delay/sms/en";
const EMAIL_EDITOR = "/dashboard/templates/shipment_delay/email/en";
const FIRST_NAME = sampleVariables("shipment_delay", "en").customer.firstName;

describe("the template editor: CodeMirror over the studio's textareas", () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    server = await startServer({ config: { DEMO_DATA: "false" } });
    await createUser(
      server.runtime.prisma,
      { email: "cleo@example.com", name: "Cleo Editor", role: "cx_editor", password: PASSWORD },
      "test",
    );
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    browser ??= await launchBrowser();
    // The real CSP (no bypass): the editor must run under it.
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    problems = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("console", (m) => {
      // CSP violations and script errors; the browser's own favicon request (the dashboard has none) is not ours.
      if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) problems.push(m.text());
    });
    await signIn(page, "cleo@example.com", PASSWORD);
  });
  afterEach(async () => {
    await context?.close();
  });

  it("highlights Liquid, offers the template's variables after `{{ `, filters them as you type, keeps the preview live, and saves what was typed", async () => {
    const script = page.waitForResponse((r) => r.url().endsWith(EDITOR_SCRIPT_PATH));
    await page.goto(SMS_EDITOR);
    const scriptResponse = await script;
    expect(scriptResponse.status()).toBe(200);
    expect(scriptResponse.headers()["cache-control"]).toBe("private, max-age=31536000, immutable");

    const editor = page.locator(".liquid-editor-body .cm-content");
    await editor.waitFor();
    // The textarea stays in the form, hidden; the editor is labelled by its label.
    expect(await page.locator("#f-body").isHidden()).toBe(true);
    expect(await editor.getAttribute("aria-labelledby")).toBe("f-body-label");
    expect(await page.locator("#f-body-label").innerText()).toBe("SMS body");
    // Highlighted: the variable in `{{ customer.firstName }}` carries the editor's variable class.
    expect(await page.locator(".liquid-editor-body .tok-var", { hasText: "customer" }).count()).toBeGreaterThan(0);
    expect(await page.locator(".liquid-editor-body .tok-keyword", { hasText: "if" }).count()).toBeGreaterThan(0);

    // Replace the text from the keyboard and ask for a variable.
    await editor.click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("Hello {{ cust");
    const options = page.locator(".cm-tooltip-autocomplete li");
    await expect
      .poll(() => options.allInnerTexts())
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining("customer.firstName"),
          expect.stringContaining("customer.name"),
        ]),
      );
    await screenshot(page, "template-editor-autocomplete");
    await page.keyboard.type("omer.fi");
    await expect.poll(() => options.allInnerTexts()).toEqual([expect.stringContaining("customer.firstName")]);
    await page.keyboard.press("Enter");
    await page.keyboard.type(" }}, your order is late. {{ optOutText }}");
    const typed = "Hello {{ customer.firstName }}, your order is late. {{ optOutText }}";
    expect(await page.locator("#f-body").inputValue()).toBe(typed);
    // Undo works (and redo puts it back).
    await page.keyboard.press("ControlOrMeta+z");
    expect(await page.locator("#f-body").inputValue()).not.toBe(typed);
    await page.keyboard.press("ControlOrMeta+y");
    expect(await page.locator("#f-body").inputValue()).toBe(typed);

    // The preview follows the text without pressing Preview (the side-by-side pane too).
    const preview = page.locator("[data-testid=sms-preview]");
    await expect
      .poll(() => preview.innerText(), { timeout: 10_000 })
      .toContain(`Hello ${FIRST_NAME}, your order is late.`);
    const mine = page.locator('[data-testid=side-by-side] figure[aria-current="true"] .sms-bubble');
    await expect.poll(() => mine.innerText()).toContain(`Hello ${FIRST_NAME}, your order is late.`);
    expect(page.url()).toContain(SMS_EDITOR); // still the editor page: no navigation happened

    // Keyboard: Tab leaves the editor (no trap).
    await editor.focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-disruption");

    await screenshot(page, "template-editor-sms");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "template-editor-sms-390");
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(`**${SMS_EDITOR}/save`);
    expect(await page.getByRole("status").innerText()).toContain("Saved as draft version 2");
    const draft = await server.runtime.prisma.templateVersion.findFirstOrThrow({
      where: { kind: "shipment_delay", channel: "sms", locale: "en", status: "draft" },
      orderBy: { version: "desc" },
    });
    expect(draft.body).toBe(typed);
    // The saved page opens the editor on the saved text.
    await page.locator(".liquid-editor-body .cm-content").waitFor();
    expect(await page.locator(".liquid-editor-body .cm-content").innerText()).toBe(typed);
    expect(problems).toEqual([]);
  });

  it("the email editor: subject, HTML and text each in an editor, HTML tags and Liquid highlighted, filters offered after `|`", async () => {
    await page.goto(EMAIL_EDITOR);
    for (const name of ["subject", "html", "text"]) await page.locator(`.liquid-editor-${name} .cm-content`).waitFor();
    expect(await page.locator(".liquid-editor-html .tok-tag").count()).toBeGreaterThan(0);
    expect(await page.locator(".liquid-editor-html .tok-var").count()).toBeGreaterThan(0);
    const subject = page.locator(".liquid-editor-subject .cm-content");
    await subject.click();
    await page.keyboard.press("ControlOrMeta+End");
    await page.keyboard.type(" {{ shipment.newEta | date");
    const options = page.locator(".cm-tooltip-autocomplete li");
    await expect
      .poll(() => options.allInnerTexts())
      .toEqual([expect.stringContaining("date"), expect.stringContaining("datetime")]);
    await page.keyboard.press("Escape");
    expect(await page.locator("#f-subject").inputValue()).toMatch(/\{\{ shipment\.newEta \| date$/);
    await screenshot(page, "template-editor-email");
    expect(problems).toEqual([]);
  });

  it("without JavaScript the textarea is the editor, and saving works the same", async () => {
    const plain = await (browser as Browser).newContext({ baseURL: server.url, javaScriptEnabled: false });
    const noJs = await plain.newPage();
    await signIn(noJs, "cleo@example.com", PASSWORD);
    await noJs.goto(SMS_EDITOR);
    expect(await noJs.locator(".cm-content").count()).toBe(0);
    const body = "Plain {{ customer.firstName }}, your order is late. {{ optOutText }}";
    await noJs.locator("#f-body").fill(body);
    await noJs.getByRole("button", { name: "Save draft" }).click();
    await noJs.waitForURL(`**${SMS_EDITOR}/save`);
    expect(await noJs.getByRole("status").innerText()).toContain("Saved as draft version");
    const draft = await server.runtime.prisma.templateVersion.findFirstOrThrow({
      where: { kind: "shipment_delay", channel: "sms", locale: "en", status: "draft" },
      orderBy: { version: "desc" },
    });
    expect(draft.body).toBe(body);
    await plain.close();
  });

  it("no serious accessibility violation with the editor on, at desktop and 390 px", async () => {
    for (const size of [
      { name: "desktop", width: 1280, height: 900 },
      { name: "phone", width: 390, height: 844 },
    ]) {
      const axeContext = await (browser as Browser).newContext({
        baseURL: server.url,
        viewport: { width: size.width, height: size.height },
        bypassCSP: true, // only so axe-core can be injected
      });
      const axePage = await axeContext.newPage();
      await signIn(axePage, "cleo@example.com", PASSWORD);
      for (const path of [SMS_EDITOR, EMAIL_EDITOR]) {
        await axePage.goto(path);
        await axePage.locator(".liquid-editor .cm-content").first().waitFor();
        expect(await seriousViolations(axePage), `${path} at ${size.name}`).toEqual([]);
        const overflow = await axePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path} scrolls sideways at ${size.width} px`).toBeLessThanOrEqual(0);
      }
      await screenshot(axePage, `template-editor-email-${size.name}`);
      await axeContext.close();
    }
  });
});
