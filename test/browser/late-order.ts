import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../src/auth/prisma-key-store.ts";
import type { TestServer } from "./browser.ts";

/** Story 2 through the API: a valued London customer's important order will be four days late; waits for its approval. */
export async function lateOrder(server: TestServer, customerId = "cust-grace", orderId = "ORD-100"): Promise<void> {
  const key = await createApiKey(prismaApiKeyStore(server.runtime.prisma), `ops-${orderId}`, [
    "events:write",
    "customers:write",
  ]);
  const api = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };
  await api("PUT", `/api/customers/${customerId}`, {
    name: "Grace Hopper",
    email: "grace@example.com",
    phone: "+447911123456",
    locale: "en-GB",
    timeZone: "Europe/London",
    tier: "valued",
    preferredChannel: "email",
    consent: { email: true, sms: false },
  });
  const before = await server.runtime.prisma.approval.count();
  const now = Date.now();
  await api("POST", "/api/events", {
    id: `carrier-${orderId}-eta-1`,
    type: "shipment.eta_updated",
    occurredAt: new Date(now).toISOString(),
    data: {
      orderId,
      customerId,
      promisedBy: new Date(now + 86_400_000).toISOString(),
      newEta: new Date(now + 5 * 86_400_000).toISOString(),
      carrier: "ParcelCo",
      reason: "a storm closed the carrier's hub",
      important: true,
      items: [{ sku: "TBL-1", name: "Linen tablecloth" }],
    },
  });
  await waitFor(async () => (await server.runtime.prisma.approval.count()) === before + 1, "the approval");
}

/** Polls until `ready` (usable in hooks, where expect.poll is not). */
export async function waitFor(ready: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/dashboard/login");
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForURL((url) => !url.pathname.endsWith("/login"));
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/** axe-core's WCAG 2 A/AA rules on the page as it is; the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // The context is made with bypassCSP so this inline script can run (the dashboard allows only its nonce).
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}
