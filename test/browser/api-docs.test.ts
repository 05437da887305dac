import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventsOpenApiDocument } from "../../src/events/api-description.ts";
import { renderDocsPage } from "../../src/http/docs-page.ts";
import { launchBrowser, screenshot, startServer, type TestServer } from "./browser.ts";

const HOSTILE = `<script>window.__pwned = "script"</script><img src=x onerror="window.__pwned='img'">`;

describe("the API docs page in a real browser", () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    // Launched here, not in beforeAll, so a missing chromium fails every test with the install hint.
    browser ??= await launchBrowser();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));
  });
  afterEach(async () => {
    await context?.close();
  });

  it("lists every operation of the OpenAPI document, with no script on the page", async () => {
    const response = await page.goto("/api/docs");
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-type"]).toMatch(/^text\/html/);

    expect(await page.title()).toBe("makegood API 1.0.0");
    expect(await page.locator("h1").innerText()).toMatch(/^makegood API\s+1\.0\.0$/);
    expect(await page.locator("h2").allInnerTexts()).toEqual(["Authentication", "Operations"]);

    const operations = (await page.locator("section.op h3").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    expect(operations).toContain("POST /api/events");
    expect(operations).toContain("GET /api/docs");
    const documented = Object.entries(eventsOpenApiDocument().paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(documented.sort());

    const events = page.locator("section.op", { has: page.locator("h3", { hasText: "POST /api/events" }) });
    expect(await events.locator(".auth").innerText()).toContain("events:write");

    expect(await page.evaluate(() => document.querySelectorAll("script, iframe, object, embed").length)).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll("[onerror], [onload], [onclick]").length)).toBe(0);
    expect(pageErrors).toEqual([]);

    await page.locator("a", { hasText: "openapi.json" }).click();
    await page.waitForURL("**/api/openapi.json");
    expect(JSON.parse(await page.locator("body").innerText())).toMatchObject({ openapi: "3.1.0" });

    await page.goto("/api/docs");
    await screenshot(page, "api-docs", { fullPage: false });
    await screenshot(page, "api-docs-full");
  });

  it("shows hostile text in the document as text and never runs it", async () => {
    const base = eventsOpenApiDocument();
    const hostile = {
      ...base,
      info: { ...base.info, title: HOSTILE, description: HOSTILE },
      paths: { [`/api/${HOSTILE}`]: { post: { summary: HOSTILE, responses: { "200": { description: HOSTILE } } } } },
    };
    // Served from the app's origin, so the page runs under the app's headers as a real response would.
    const body = String(await renderDocsPage(hostile));
    await page.route("**/hostile-docs", (route) => route.fulfill({ contentType: "text/html", body }));
    await page.goto("/hostile-docs");
    await page.waitForLoadState("load");

    expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.querySelectorAll("script, img").length)).toBe(0);
    expect(await page.locator("h1").innerText()).toContain(HOSTILE);
    expect(await page.locator("section.op h3").innerText()).toContain(`/api/${HOSTILE}`);
    expect(pageErrors).toEqual([]);
    await screenshot(page, "api-docs-hostile");
  });

  it("echoes a hostile path in a JSON 404 the browser does not render as HTML", async () => {
    const response = await page.goto(`/api/docs/${encodeURIComponent(HOSTILE)}`);
    expect(response?.status()).toBe(404);
    expect(response?.headers()["content-type"]).toMatch(/^application\/json/);
    expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
    expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.querySelectorAll("script, img").length)).toBe(0);
  });

  it("opens /healthz and /readyz", async () => {
    const health = await page.goto("/healthz");
    expect(health?.status()).toBe(200);
    expect(JSON.parse(await page.locator("body").innerText())).toEqual({ status: "ok" });

    const ready = await page.goto("/readyz");
    expect(ready?.status()).toBe(200);
    expect(JSON.parse(await page.locator("body").innerText())).toMatchObject({ ok: true });
  });
});
