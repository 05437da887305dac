import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiKey } from "../../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../../src/auth/prisma-key-store.ts";
import { MANAGER_LIMIT_SETTING } from "../../../src/dashboard/approval-limits.ts";
import { addUser, type Browser, startDashboard } from "./harness.ts";
import { HOSTILE, seedRecovery, signedIn } from "./recovery-seed.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
type Signed = { browser: Browser; csrf: string; id: string };
let viewer: Signed;
let manager: Signed;
let admin: Signed;

async function as(role: "viewer" | "manager" | "admin", name: string): Promise<Signed> {
  const user = await addUser(h.runtime, role, name);
  return { ...(await signedIn(h.runtime, user, h.now())), id: user.id };
}

beforeAll(async () => {
  h = await startDashboard();
  viewer = await as("viewer", "Vera Viewer");
  manager = await as("manager", "Mona Manager");
  admin = await as("admin", "Ada Admin");
});
afterAll(() => h.stop());

const decide = (who: Signed, approvalId: string, form: Record<string, string>) =>
  who.browser.request("POST", `/dashboard/approvals/${approvalId}/decide`, { form: { _csrf: who.csrf, ...form } });
const audits = (target: string) => h.runtime.prisma.auditLog.findMany({ where: { target } });

describe("GET /dashboard/approvals", () => {
  test("pending approvals oldest first with the customer's context; forms only for deciders", async () => {
    const older = await seedRecovery(h.runtime, {
      name: HOSTILE,
      pending: true,
      detectedAt: new Date("2026-01-01T09:00:00Z"),
    });
    const newer = await seedRecovery(h.runtime, { name: "Grace Hopper", pending: true });
    const html = await (await manager.browser.request("GET", "/dashboard/approvals")).text();
    const order = [...html.matchAll(/data-approval="([^"]+)"/g)].map((m) => m[1]);
    expect(order.indexOf(older.approvalId)).toBeLessThan(order.indexOf(newer.approvalId));
    expect(html).toContain("120.00 EUR");
    expect(html).toContain("Valued");
    expect(html).toContain("No other recovery in the last 12 months.");
    // What the customer will read either way, rendered for them, and nothing about it as raw values.
    expect(html).toContain('data-preview="approve"');
    expect(html).toContain('data-preview="deny"');
    expect(html).not.toContain("shipment_delay");
    expect(html).toContain('name="confirm" value="yes"');
    expect(html).not.toContain(HOSTILE);

    const seen = await viewer.browser.request("GET", "/dashboard/approvals");
    expect(seen.status).toBe(200);
    const viewerHtml = await seen.text();
    expect(viewerHtml).toContain(newer.approvalId);
    expect(viewerHtml).not.toContain("/decide");
  });
});

describe("POST /dashboard/approvals/:id/decide", () => {
  test("a manager approves with confirmation: recorded, on the timeline, audited, then the recovery page", async () => {
    const r = await seedRecovery(h.runtime, { pending: true });
    const id = r.approvalId as string;
    const unconfirmed = await decide(manager, id, { decision: "approve", note: "for the wedding <b>" });
    expect(unconfirmed.status).toBe(400);
    const refusedPage = await unconfirmed.text();
    // Back on the queue, the error on this approval's card and the note as typed (escaped), not an error page.
    expect(refusedPage).toContain("needs the confirmation box ticked");
    expect(refusedPage).toContain('value="for the wedding &lt;b&gt;"');
    expect(refusedPage).toContain(`data-approval="${id}"`);

    const ok = await decide(manager, id, { decision: "approve", note: "important order", confirm: "yes" });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe(`/dashboard/recoveries/${r.disruptionId}?decided=approved`);
    const approval = await h.runtime.prisma.approval.findUniqueOrThrow({ where: { id } });
    expect(approval).toMatchObject({ status: "approved", decidedBy: "Mona Manager", note: "important order" });
    const timeline = await h.runtime.prisma.timelineEntry.findMany({ where: { disruptionId: r.disruptionId } });
    expect(timeline.map((t) => t.summary)).toContain("Approved by Mona Manager");
    expect(await audits(id)).toEqual([
      expect.objectContaining({ actor: manager.id, action: "approval.approve", target: id }),
    ]);

    const detail = await (await manager.browser.request("GET", ok.headers.get("location") as string)).text();
    expect(detail).toContain("Note: important order");

    const again = await decide(manager, id, { decision: "deny" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already approved");
  });

  test("a deny needs no confirmation and is audited", async () => {
    const r = await seedRecovery(h.runtime, { pending: true, value: 500 });
    const id = r.approvalId as string;
    const res = await decide(manager, id, { decision: "deny", note: "budget" });
    expect(res.status).toBe(303);
    expect((await h.runtime.prisma.approval.findUniqueOrThrow({ where: { id } })).status).toBe("denied");
    expect((await audits(id)).map((a) => a.action)).toEqual(["approval.deny"]);
  });

  test("a manager cannot approve above their limit (default 250, or the setting); an admin can", async () => {
    const r = await seedRecovery(h.runtime, { pending: true, value: 300 });
    const id = r.approvalId as string;
    const refused = await decide(manager, id, { decision: "approve", confirm: "yes" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Your approval limit is 250");

    await h.runtime.prisma.setting.create({ data: { key: MANAGER_LIMIT_SETTING, value: "200" } });
    const small = await seedRecovery(h.runtime, { pending: true, value: 220 });
    const lower = await decide(manager, small.approvalId as string, { decision: "approve", confirm: "yes" });
    expect(lower.status).toBe(403);
    expect(await lower.text()).toContain("Your approval limit is 200");
    await h.runtime.prisma.setting.delete({ where: { key: MANAGER_LIMIT_SETTING } });

    expect((await audits(id)).length).toBe(0);
    expect((await decide(admin, id, { decision: "approve", confirm: "yes" })).status).toBe(303);
  });

  test("a viewer cannot decide, nor anyone without the CSRF token; unknown ids are 404", async () => {
    const r = await seedRecovery(h.runtime, { pending: true, value: 20 });
    const id = r.approvalId as string;
    expect((await decide(viewer, id, { decision: "approve" })).status).toBe(403);
    const noToken = await manager.browser.request("POST", `/dashboard/approvals/${id}/decide`, {
      form: { decision: "approve" },
    });
    expect(noToken.status).toBe(403);
    expect((await h.runtime.prisma.approval.findUniqueOrThrow({ where: { id } })).status).toBe("pending");
    expect((await decide(manager, "appr_nope", { decision: "approve" })).status).toBe(404);
    expect((await decide(manager, id, { decision: "maybe" })).status).toBe(400);
    // Small gestures need no confirmation.
    expect((await decide(manager, id, { decision: "approve" })).status).toBe(303);
  });
});

test("story 2 through the dashboard: the workflow waiting for a manager continues once approved", async () => {
  const engine = h.runtime.engine;
  if (!engine) throw new Error("the embedded engine should run");
  const key = await createApiKey(prismaApiKeyStore(h.runtime.prisma), "ops", ["events:write", "customers:write"]);
  const api = (method: string, path: string, body: unknown) =>
    h.runtime.app.request(path, {
      method,
      headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const put = await api("PUT", "/api/customers/cust-story2", {
    name: "Grace Hopper",
    email: "grace@example.com",
    phone: "+12125550109",
    locale: "en-US",
    timeZone: "UTC",
    tier: "valued",
    preferredChannel: "email",
    consent: { email: true, sms: false },
  });
  expect(put.status, await put.clone().text()).toBe(200);
  const now = h.now();
  const sent = await api("POST", "/api/events", {
    id: "carrier-ORD-900-eta-1",
    type: "shipment.eta_updated",
    occurredAt: now.toISOString(),
    data: {
      orderId: "ORD-900",
      customerId: "cust-story2",
      promisedBy: new Date(now.getTime() + 86_400_000).toISOString(),
      newEta: new Date(now.getTime() + 5 * 86_400_000).toISOString(),
      carrier: "ParcelCo",
      important: true,
    },
  });
  expect(sent.status).toBe(202);
  await engine.drain();
  const d = await h.runtime.prisma.disruption.findFirstOrThrow({ where: { subjectKey: "order:ORD-900" } });
  const approval = await h.runtime.prisma.approval.findFirstOrThrow({ where: { disruptionId: d.id } });
  expect(approval.status).toBe("pending");
  // The apology went at once, without the gift that waits for the manager.
  const apologies = await h.runtime.prisma.message.findMany({ where: { disruptionId: d.id } });
  expect(apologies.map((m) => m.purpose)).toEqual(expect.arrayContaining(["apology"]));
  expect(apologies.every((m) => m.purpose === "apology")).toBe(true);
  expect(JSON.stringify(apologies)).not.toContain("handmade chocolates");

  const res = await decide(manager, approval.id, { decision: "approve", confirm: "yes" });
  expect(res.status).toBe(303);
  await engine.drain();
  const grants = await h.runtime.prisma.gestureGrant.findMany({ where: { disruptionId: d.id } });
  expect(grants.map((g) => g.status)).toEqual(["granted"]);
  const gifts = await h.runtime.prisma.message.findMany({ where: { disruptionId: d.id, purpose: "gesture" } });
  expect(gifts.length).toBeGreaterThan(0);
  expect(JSON.stringify(gifts)).toContain("handmade chocolates");
});
