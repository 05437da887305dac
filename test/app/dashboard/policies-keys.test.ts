import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MANAGER_LIMIT_SETTING } from "../../../src/dashboard/approval-limits.ts";
import { GESTURE_CAP_SETTING } from "../../../src/dashboard/policy-forms.ts";
import { addUser, type Browser, startDashboard } from "./harness.ts";
import { signedIn } from "./recovery-seed.ts";

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

const post = (who: Signed, path: string, form: Record<string, string>) =>
  who.browser.request("POST", path, { form: { _csrf: who.csrf, ...form } });
/** What the dashboard does: the change's Save posts to its replay, whose page saves it with the replay's token. */
async function replayThenSave(who: Signed, path: string, form: Record<string, string>) {
  const replay = await post(who, `${path}/replay`, form);
  expect(replay.status).toBe(200);
  const token = /name="replay" value="([0-9a-f]{64})"/.exec(await replay.text())?.[1];
  expect(token).toBeDefined();
  return post(who, path, { ...form, replay: token ?? "" });
}
const audits = (action: string, target?: string) =>
  h.runtime.prisma.auditLog.findMany({ where: { action, ...(target ? { target } : {}) } });
const policyForm = (p: {
  disruptionKind: string;
  severity: string;
  tier: string;
  gestureId: string;
  fallbackGestureId: string | null;
  approvalTimeout: string;
}) => ({
  disruptionKind: p.disruptionKind,
  severity: p.severity,
  tier: p.tier,
  gestureId: p.gestureId,
  fallbackGestureId: p.fallbackGestureId ?? "",
  approvalTimeout: p.approvalTimeout,
});

describe("policies", () => {
  test("a manager changes a policy's approval limit: stored (what the recovery reads next) and audited", async () => {
    const prisma = h.runtime.prisma;
    const reference = h.runtime.services.reference;
    const before = await prisma.gesturePolicy.findUniqueOrThrow({ where: { id: "shipment-delay-high-valued" } });
    const limitSeen = async () => Number((await reference.policies()).find((p) => p.id === before.id)?.approvalLimit);
    expect(await limitSeen()).toBe(100); // the recovery has read (and holds) the policies
    const page = await (await manager.browser.request("GET", "/dashboard/policies")).text();
    expect(page).toContain("meal-voucher-50");
    expect(page).toContain('action="/dashboard/policies/rules/shipment-delay-high-valued"');

    const res = await replayThenSave(manager, "/dashboard/policies/rules/shipment-delay-high-valued", {
      ...policyForm(before),
      approvalLimit: "250",
      approvalTimeout: "2h",
    });
    expect(res.status).toBe(303);
    const after = await prisma.gesturePolicy.findUniqueOrThrow({ where: { id: before.id } });
    expect(Number(after.approvalLimit)).toBe(250);
    expect(after.approvalTimeout).toBe("2h");
    // What plan-gesture reads for the next recovery: the new limit, not the one it held.
    expect(await limitSeen()).toBe(250);
    const [row] = await audits("policy.update", before.id);
    expect(row).toMatchObject({ actor: manager.id });
    expect(JSON.parse(row?.detail ?? "{}")).toMatchObject({
      change: "updated",
      before: { approvalLimit: 100 },
      after: { approvalLimit: 250 },
    });
  });

  test("a policy change saved without its replay, or with the replay of another change, is refused inline and changes nothing", async () => {
    const prisma = h.runtime.prisma;
    const before = await prisma.gesturePolicy.findUniqueOrThrow({ where: { id: "flight-delayed" } });
    const auditCount = await prisma.auditLog.count();
    const path = "/dashboard/policies/rules/flight-delayed";
    const direct = await post(manager, path, { ...policyForm(before), approvalLimit: "1" });
    expect(direct.status).toBe(400);
    const html = await direct.text();
    expect(html).toContain('data-field="replay"');
    expect(html).toContain("replay this change first");
    // The replay of limit 2 does not let limit 1 through.
    const replay = await post(manager, `${path}/replay`, { ...policyForm(before), approvalLimit: "2" });
    const token = /name="replay" value="([0-9a-f]{64})"/.exec(await replay.text())?.[1] ?? "";
    expect(token).toHaveLength(64);
    expect((await post(manager, path, { ...policyForm(before), approvalLimit: "1", replay: token })).status).toBe(400);
    // Nor another session's replay of the same change.
    expect((await post(admin, path, { ...policyForm(before), approvalLimit: "2", replay: token })).status).toBe(400);
    expect(Number((await prisma.gesturePolicy.findUniqueOrThrow({ where: { id: before.id } })).approvalLimit)).toBe(
      Number(before.approvalLimit),
    );
    expect(await prisma.auditLog.count()).toBe(auditCount);
  });

  test("invalid input names each field and changes nothing", async () => {
    const prisma = h.runtime.prisma;
    const before = await prisma.gesturePolicy.findUniqueOrThrow({ where: { id: "flight-delayed" } });
    const auditCount = await prisma.auditLog.count();
    const res = await post(manager, "/dashboard/policies/rules/flight-delayed", {
      ...policyForm(before),
      disruptionKind: "alien_invasion",
      gestureId: "no-such-gesture",
      approvalLimit: "-5",
      approvalTimeout: "soon",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const field of ["disruptionKind", "approvalLimit", "approvalTimeout"])
      expect(html).toContain(`data-field="${field}"`);
    expect(html).toContain("Nothing was changed");

    const unknownGesture = await post(manager, "/dashboard/policies/rules/flight-delayed", {
      ...policyForm(before),
      gestureId: "no-such-gesture",
      approvalLimit: "10",
    });
    expect(unknownGesture.status).toBe(400);
    const unknownHtml = await unknownGesture.text();
    expect(unknownHtml).toContain('data-field="gestureId"');
    expect(unknownHtml).toContain("no gesture &quot;no-such-gesture&quot;");

    const badBudget = await post(manager, "/dashboard/policies/budget", {
      period: h.now().toISOString().slice(0, 7),
      limit: "abc",
      currency: "euro",
    });
    expect(badBudget.status).toBe(400);
    const budgetHtml = await badBudget.text();
    expect(budgetHtml).toContain('data-field="limit"');
    expect(budgetHtml).toContain('data-field="currency"');

    expect(await prisma.gesturePolicy.findUniqueOrThrow({ where: { id: "flight-delayed" } })).toEqual(before);
    expect(await prisma.auditLog.count()).toBe(auditCount);
  });

  test("gestures, policies, budgets and limits: add, edit, delete, each audited", async () => {
    const prisma = h.runtime.prisma;
    // The recovery's reference data, read (and held) before every change: each change must reach it.
    const reference = h.runtime.services.reference;
    const [year, month] = h.now().toISOString().slice(0, 7).split("-").map(Number) as [number, number];
    const next = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 7);
    const seen = async () => ({
      gesture: (await reference.gestures()).find((g) => g.id === "lounge-pass"),
      policy: (await reference.policies()).find(
        (p) => p.disruptionKind === "flight_delayed" && p.tier === "vip" && p.severity === "critical",
      ),
      budget: await reference.budget(next),
      cap: await reference.setting(GESTURE_CAP_SETTING),
    });
    expect(await seen()).toEqual({ gesture: undefined, policy: undefined, budget: null, cap: null });
    const gesture = {
      name: "Lounge pass",
      description: "a lounge pass for today",
      howToUse: "Show the code at the lounge.",
      value: "35",
      currency: "EUR",
      active: "on",
    };
    expect(
      (await post(manager, "/dashboard/policies/gestures", { id: "lounge-pass", kind: "voucher", ...gesture })).status,
    ).toBe(303);
    // Retiring asks first: the update without confirm=yes shows what it touches and changes nothing.
    const ask = await post(manager, "/dashboard/policies/gestures/lounge-pass", {
      ...gesture,
      active: "",
      value: "40",
    });
    expect(ask.status).toBe(200);
    const askHtml = await ask.text();
    expect(askHtml).toContain("Retire gesture Lounge pass?");
    expect(askHtml).toContain('name="confirm" value="yes"');
    expect(askHtml).toContain('name="value" value="40"');
    expect(await prisma.gesture.findUniqueOrThrow({ where: { id: "lounge-pass" } })).toMatchObject({ active: true });
    expect(
      (
        await post(manager, "/dashboard/policies/gestures/lounge-pass", {
          ...gesture,
          active: "",
          value: "40",
          confirm: "yes",
        })
      ).status,
    ).toBe(303);
    const g = await prisma.gesture.findUniqueOrThrow({ where: { id: "lounge-pass" } });
    expect({ value: Number(g.value), active: g.active }).toEqual({ value: 40, active: false });
    expect((await seen()).gesture).toMatchObject({ active: false, howToUse: "Show the code at the lounge." });
    expect(Number((await seen()).gesture?.value)).toBe(40);
    expect(await audits("gesture.update", "lounge-pass")).toHaveLength(2);

    const add = await post(manager, "/dashboard/policies/rules", {
      disruptionKind: "flight_delayed",
      severity: "critical",
      tier: "vip",
      gestureId: "lounge-pass",
      fallbackGestureId: "meal-voucher-15",
      approvalLimit: "50",
      approvalTimeout: "1h30m",
    });
    expect(add.status).toBe(303);
    const created = await prisma.gesturePolicy.findUniqueOrThrow({
      where: { disruptionKind_severity_tier: { disruptionKind: "flight_delayed", severity: "critical", tier: "vip" } },
    });
    expect((await seen()).policy?.id).toBe(created.id);
    const dup = await post(manager, "/dashboard/policies/rules", { ...policyForm(created), approvalLimit: "1" });
    expect(dup.status).toBe(400);
    expect((await post(manager, `/dashboard/policies/rules/${created.id}/delete`, { confirm: "yes" })).status).toBe(
      303,
    );
    expect(await prisma.gesturePolicy.findUnique({ where: { id: created.id } })).toBeNull();
    expect((await seen()).policy).toBeUndefined();
    expect((await audits("policy.update", created.id)).map((a) => JSON.parse(a.detail ?? "{}").change)).toEqual(
      expect.arrayContaining(["created", "deleted"]),
    );

    expect(
      (await replayThenSave(admin, "/dashboard/policies/budget", { period: next, limit: "5000", currency: "USD" }))
        .status,
    ).toBe(303);
    const budget = await prisma.budget.findUniqueOrThrow({ where: { period: next } });
    expect({ limit: Number(budget.limit), currency: budget.currency }).toEqual({ limit: 5000, currency: "USD" });
    expect((await seen()).budget).toMatchObject({ period: next, currency: "USD" });
    expect(await audits("budget.update", next)).toHaveLength(1);
    const farFuture = await post(admin, "/dashboard/policies/budget", {
      period: "2099-01",
      limit: "1",
      currency: "EUR",
    });
    expect(farFuture.status).toBe(400);

    expect(
      (await replayThenSave(manager, "/dashboard/policies/settings", { gestureCap: "5", managerApprovalLimit: "300" }))
        .status,
    ).toBe(303);
    const settings = await prisma.setting.findMany({
      where: { key: { in: [GESTURE_CAP_SETTING, MANAGER_LIMIT_SETTING] } },
    });
    expect(Object.fromEntries(settings.map((s) => [s.key, s.value]))).toEqual({
      [GESTURE_CAP_SETTING]: "5",
      [MANAGER_LIMIT_SETTING]: "300",
    });
    expect(await audits("setting.update")).toHaveLength(2);
    expect((await seen()).cap).toBe("5");
  });

  test("deleting a policy asks first: a delete without the confirmation changes nothing and says so; the confirmation page's form deletes", async () => {
    const prisma = h.runtime.prisma;
    const id = "flight-delayed";
    const path = `/dashboard/policies/rules/${id}/delete`;
    const auditCount = await prisma.auditLog.count();
    const page = await (await manager.browser.request("GET", "/dashboard/policies")).text();
    // The policies page links to the confirmation; it has no form that deletes.
    expect(page).toContain(`href="${path}"`);
    expect(page).not.toContain(`action="${path}"`);

    for (const form of [{}, { confirm: "" }, { confirm: "no" }, { confirm: "YES " }] as Record<string, string>[]) {
      const res = await post(manager, path, form);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('data-field="confirm"');
      expect(html).toContain(`policy ${id} was not deleted`);
      expect(await prisma.gesturePolicy.findUnique({ where: { id } })).not.toBeNull();
    }
    expect(await prisma.auditLog.count()).toBe(auditCount);
    // A viewer cannot reach the confirmation.
    expect((await viewer.browser.request("GET", path)).status).toBe(403);

    const confirm = await manager.browser.request("GET", path);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain(`Delete policy ${id}?`);
    expect(html).toContain("This cannot be undone.");
    expect(html).toContain("Flight delayed");
    expect(html).toContain(`action="${path}"`);
    expect(html).toContain('name="confirm" value="yes"');
    expect(html).toContain(`name="_csrf" value="${manager.csrf}"`);
    expect((await manager.browser.request("GET", "/dashboard/policies/rules/no-such-policy/delete")).status).toBe(404);

    // Confirmed but without the CSRF token: refused, nothing deleted.
    expect((await manager.browser.request("POST", path, { form: { confirm: "yes" } })).status).toBe(403);
    expect(await prisma.gesturePolicy.findUnique({ where: { id } })).not.toBeNull();

    const deleted = await post(manager, path, { confirm: "yes" });
    expect(deleted.status).toBe(303);
    expect(await prisma.gesturePolicy.findUnique({ where: { id } })).toBeNull();
    const [row] = await audits("policy.update", id);
    expect(JSON.parse(row?.detail ?? "{}")).toMatchObject({ change: "deleted" });
  });

  test("the gesture catalog is a table: each gesture's kind, value, the policies that give it and whether it is given, true to the rows", async () => {
    const html = await (await viewer.browser.request("GET", "/dashboard/policies")).text();
    const gestures = await h.runtime.prisma.gesture.findMany();
    const policies = await h.runtime.prisma.gesturePolicy.findMany();
    expect(gestures.length).toBeGreaterThan(0);
    for (const g of gestures) {
      const row = new RegExp(`<tbody data-gesture="${g.id}">([\\s\\S]*?)</tbody>`).exec(html)?.[1];
      expect(row, g.id).toBeDefined();
      const cell = (label: string) =>
        new RegExp(`data-label="${label}">([^<]*)`)
          .exec(row ?? "")?.[1]
          ?.trim()
          .replaceAll("&amp;", "&");
      expect(cell("Gesture")).toBe(g.name);
      expect(cell("Value")).toBe(`${Number(g.value).toFixed(2)} ${g.currency}`);
      expect(cell("Status")).toBe(g.active ? "Given" : "Retired: not given");
      const direct = policies.filter((p) => p.gestureId === g.id).length;
      const fallback = policies.filter((p) => p.fallbackGestureId === g.id).length;
      const given = cell("Given by") ?? "";
      if (direct + fallback === 0) expect(given).toBe("no policy");
      else {
        const numbers = [...given.matchAll(/\d+/g)].map((m) => Number(m[0]));
        expect(numbers, `${g.id}: ${given}`).toEqual([direct, fallback].filter((n) => n > 0));
        expect(given.includes("fallback"), given).toBe(fallback > 0);
      }
    }
    // A viewer reads it; only an editor gets the forms.
    for (const g of gestures) expect(html).not.toContain(`action="/dashboard/policies/gestures/${g.id}"`);
    const managerHtml = await (await manager.browser.request("GET", "/dashboard/policies")).text();
    for (const g of gestures) expect(managerHtml).toContain(`action="/dashboard/policies/gestures/${g.id}"`);
  });

  test("a viewer sees policies read-only and gets 403 on every change; no CSRF token → 403", async () => {
    const html = await (await viewer.browser.request("GET", "/dashboard/policies")).text();
    expect(html).toContain("meal-voucher-50");
    expect(html).not.toContain('action="/dashboard/policies/rules"');
    const res = await post(viewer, "/dashboard/policies/settings", { gestureCap: "9", managerApprovalLimit: "9" });
    expect(res.status).toBe(403);
    const noCsrf = await manager.browser.request("POST", "/dashboard/policies/settings", {
      form: { gestureCap: "9", managerApprovalLimit: "9" },
    });
    expect(noCsrf.status).toBe(403);
    const cap = await h.runtime.prisma.setting.findUnique({ where: { key: GESTURE_CAP_SETTING } });
    expect(cap?.value).not.toBe("9");
  });
});

describe("API keys", () => {
  test("an admin creates a key, sees the secret once, it works until revoked; audited", async () => {
    const created = await post(admin, "/dashboard/keys", { name: "ops console", scopes: "read" });
    expect(created.status).toBe(200);
    const html = await created.text();
    const secret = /mg_[0-9a-f]{12}_[0-9a-f]{48}/.exec(html)?.[0] as string;
    expect(secret).toBeDefined();
    const prefix = secret.slice(3, 15);

    const listed = await (await admin.browser.request("GET", "/dashboard/keys")).text();
    expect(listed).toContain(`mg_${prefix}_…`);
    expect(listed).not.toContain(secret);
    const row = await h.runtime.prisma.apiKey.findUniqueOrThrow({ where: { prefix } });
    expect(JSON.stringify(row)).not.toContain(secret);

    const api = () => h.runtime.app.request("/api/disruptions", { headers: { authorization: `Bearer ${secret}` } });
    expect((await api()).status).toBe(200);

    const revoke = await post(admin, `/dashboard/keys/${prefix}/revoke`, {});
    expect(revoke.status).toBe(303);
    expect(revoke.headers.get("location")).not.toContain(secret.slice(16));
    expect((await api()).status).toBe(401);

    const logged = await h.runtime.prisma.auditLog.findMany({ where: { target: prefix } });
    expect(logged.map((a) => a.action).sort()).toEqual(["key.create", "key.revoke"]);
    expect(logged.every((a) => a.actor === admin.id && !(a.detail ?? "").includes(secret))).toBe(true);
  });

  test("a key needs a name and a scope; managers and viewers get 403", async () => {
    const bad = await post(admin, "/dashboard/keys", { name: " " });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('data-field="name"');
    expect(html).toContain('data-field="scopes"');
    for (const who of [viewer, manager]) {
      expect((await who.browser.request("GET", "/dashboard/keys")).status).toBe(403);
      expect((await post(who, "/dashboard/keys", { name: "x", scopes: "read" })).status).toBe(403);
    }
  });

  test("the audit log, newest first, for managers and admins", async () => {
    const html = await (await admin.browser.request("GET", "/dashboard/audit")).text();
    const ids = [...html.matchAll(/data-audit="([^"]+)"/g)].map((m) => m[1] as string);
    expect(ids.length).toBeGreaterThan(5);
    const rows = await h.runtime.prisma.auditLog.findMany({ where: { id: { in: ids } } });
    const at = ids.map((id) => rows.find((r) => r.id === id)?.at.getTime() ?? 0);
    expect(at).toEqual([...at].sort((a, b) => b - a));
    expect(html).toContain("key.revoke");
    expect(html).toContain("Ada Admin");
    expect((await viewer.browser.request("GET", "/dashboard/audit")).status).toBe(403);
  });
});
