import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiKey } from "../../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../../src/auth/prisma-key-store.ts";
import { addUser, type Browser, startDashboard } from "./harness.ts";
import { signedIn } from "./recovery-seed.ts";

/** The catalog's texts per language, edited on the policies page (no replay: they decide nothing). */
let h: Awaited<ReturnType<typeof startDashboard>>;
type Signed = { browser: Browser; csrf: string; id: string };
let viewer: Signed;
let manager: Signed;
let key: string;

async function as(role: "viewer" | "manager", name: string): Promise<Signed> {
  const user = await addUser(h.runtime, role, name);
  return { ...(await signedIn(h.runtime, user, h.now())), id: user.id };
}

beforeAll(async () => {
  h = await startDashboard();
  viewer = await as("viewer", "Vera Viewer");
  manager = await as("manager", "Mona Manager");
  key = (await createApiKey(prismaApiKeyStore(h.runtime.prisma), "ops", ["events:write", "customers:write"])).secret;
});
afterAll(() => h.stop());

const TEXTS = "/dashboard/policies/gestures/credit-15/texts";
const post = (who: Signed, path: string, form: Record<string, string>) =>
  who.browser.request("POST", path, { form: { _csrf: who.csrf, ...form } });
const api = (method: string, path: string, body: unknown) =>
  h.runtime.app.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const french = () =>
  h.runtime.prisma.gestureText.findUniqueOrThrow({
    where: { gestureId_language: { gestureId: "credit-15", language: "fr" } },
  });

let n = 0;
/** A late delivery for a standard French customer, through the API; the text of the messages they were sent. */
async function frenchShipmentDelay(): Promise<string> {
  n += 1;
  const customerId = `cust-texts-fr-${n}`;
  const put = await api("PUT", `/api/customers/${customerId}`, {
    name: "Camille Martin",
    email: `camille${n}@example.com`,
    locale: "fr-FR",
    timeZone: "Europe/Paris",
    tier: "standard",
    preferredChannel: "email",
    consent: { email: true, sms: false },
  });
  expect(put.status).toBe(200);
  const now = h.now().getTime();
  const sent = await api("POST", "/api/events", {
    id: `carrier-TXT-${n}-eta-1`,
    type: "shipment.eta_updated",
    occurredAt: new Date(now - 60_000).toISOString(),
    data: {
      orderId: `TXT-${n}00`,
      customerId,
      promisedBy: new Date(now + 86_400_000).toISOString(),
      newEta: new Date(now + 5 * 86_400_000).toISOString(),
      carrier: "ParcelCo",
    },
  });
  expect(sent.status).toBe(202);
  await h.runtime.engine?.drain();
  const messages = await h.runtime.prisma.message.findMany({ where: { customerId } });
  expect(messages.length).toBeGreaterThan(0);
  return messages.map((m) => `${m.text ?? ""}\n${m.body ?? ""}`).join("\n");
}

describe("gesture texts per language", () => {
  test("a manager edits a gesture's French description; the next French customer's message reads it, and it is audited", async () => {
    const page = await (await manager.browser.request("GET", "/dashboard/policies")).text();
    expect(page).toContain(`action="${TEXTS}/fr"`);
    expect(page).toContain(`action="${TEXTS}/de"`);
    expect(page).toContain(`action="${TEXTS}/en"`);
    const was = await french();
    expect(await frenchShipmentDelay()).toContain(was.description);

    const description = "un avoir de bienvenue sur votre prochaine commande";
    const res = await post(manager, `${TEXTS}/fr`, {
      name: was.name,
      description,
      howToUse: was.howToUse ?? "",
    });
    expect(res.status).toBe(303);
    expect((await french()).description).toBe(description);
    expect(await frenchShipmentDelay()).toContain(description);

    const [row] = await h.runtime.prisma.auditLog.findMany({
      where: { action: "gesture_text.update", target: "credit-15/fr" },
    });
    expect(row).toMatchObject({ actor: manager.id });
    expect(JSON.parse(row?.detail ?? "{}")).toMatchObject({
      language: "fr",
      before: { description: was.description },
      after: { description },
    });
  });

  test("an empty name is refused with the field named, what was typed kept, and nothing changed", async () => {
    const before = await french();
    const audits = await h.runtime.prisma.auditLog.count();
    const res = await post(manager, `${TEXTS}/fr`, {
      name: "   ",
      description: "un texte <b>tapé</b>",
      howToUse: "",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('data-field="name"');
    expect(html).toMatch(/Name: required/);
    expect(html).toContain('value="un texte &lt;b&gt;tapé&lt;/b&gt;"');
    expect(html).toContain('aria-invalid="true"');
    expect(await french()).toEqual(before);
    expect(await h.runtime.prisma.auditLog.count()).toBe(audits);
  });

  test("a viewer gets 403, a post without the CSRF token is refused, and nothing changes", async () => {
    const before = await french();
    const form = { name: "X", description: "y", howToUse: "" };
    expect((await post(viewer, `${TEXTS}/fr`, form)).status).toBe(403);
    const noToken = await manager.browser.request("POST", `${TEXTS}/fr`, { form });
    expect(noToken.status).toBe(403);
    expect(await french()).toEqual(before);
    const page = await (await viewer.browser.request("GET", "/dashboard/policies")).text();
    expect(page).not.toContain("Save French texts");
  });

  test("English-looking text saved for French is saved, with a warning naming the field", async () => {
    const res = await post(manager, `${TEXTS}/fr`, {
      name: "Avoir (15)",
      description: "un avoir sur votre prochaine commande",
      howToUse: "It is applied at checkout when you enter the code.",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('class="warning"');
    expect(html).toMatch(/How to use: looks partly English/);
    expect(html).not.toContain('role="alert"');
    expect((await french()).howToUse).toBe("It is applied at checkout when you enter the code.");
  });

  test("an unknown language is a 404", async () => {
    const res = await post(manager, `${TEXTS}/es`, { name: "Crédito", description: "un crédito", howToUse: "" });
    expect(res.status).toBe(404);
  });
});
