import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addUser, Browser, PASSWORD } from "../dashboard/harness.ts";
import { startNodeWorld as startWorld, type NodeWorld as World } from "../stories/world.ts";
import { tableCounts } from "./table-counts.ts";

/**
 * A manager replays a policy change over seeded past disruptions: the figures on the page are
 * checked against numbers worked out here from the seed list and the default policies, and the
 * replay sends nothing (the fake providers record no delivery) and writes nothing (every table's
 * row count is unchanged).
 */
let w: World;
let manager: Browser;
let csrf: string;
const DAY = 86_400_000;

// The default policies the seeds meet (src/recovery/defaults.ts), restated: gesture value and approval limit.
const FLIGHT_CANCELLED = { value: 50, limit: 100 }; // meal-voucher-50
const GIFT = { value: 120, limit: 100 }; // overnight-gift, shipment_delay × high × valued
const CREDIT = { value: 15, limit: 100 }; // credit-15, shipment_delay × * × *

interface Seed {
  kind: string;
  severity: string;
  tier: string;
  daysAgo: number;
  rule: { value: number; limit: number };
}
const SEEDS: Seed[] = [
  ...[1, 2, 3, 4, 5].map((d) => ({
    kind: "flight_cancelled",
    severity: "high",
    tier: "standard",
    daysAgo: d,
    rule: FLIGHT_CANCELLED,
  })),
  ...[40, 45].map((d) => ({
    kind: "flight_cancelled",
    severity: "high",
    tier: "standard",
    daysAgo: d,
    rule: FLIGHT_CANCELLED,
  })),
  ...[2, 3, 4].map((d) => ({ kind: "shipment_delay", severity: "high", tier: "valued", daysAgo: d, rule: GIFT })),
  { kind: "shipment_delay", severity: "low", tier: "standard", daysAgo: 10, rule: CREDIT },
];

beforeAll(async () => {
  w = await startWorld("2026-01-20T10:00:00Z");
  const now = w.clock.now();
  for (const [i, s] of SEEDS.entries()) {
    const at = new Date(now - s.daysAgo * DAY);
    const customerId = `cust-replay-${i}`;
    await w.prisma.customer.create({
      data: { id: customerId, name: `Replay ${i}`, email: `r${i}@example.com`, tier: s.tier },
    });
    await w.prisma.disruption.create({
      data: {
        id: `dis_replay_${i}`,
        customerId,
        kind: s.kind,
        subjectKey: `replay:${i}`,
        severity: s.severity,
        status: "resolved",
        reason: "seeded",
        facts: "{}",
        signalAt: at,
        detectedAt: at,
      },
    });
  }
  const user = await addUser(w.runtime, "manager", "Mona Manager");
  manager = new Browser(w.runtime);
  expect((await manager.login(user.email, PASSWORD)).status).toBe(303);
  csrf = await manager.csrfToken();
});
afterAll(() => w.stop());

const post = (path: string, form: Record<string, string>) =>
  manager.request("POST", path, { form: { _csrf: csrf, ...form } });
const figure = (html: string, name: string) =>
  new RegExp(`data-figure="${name}"><span class="muted">[^<]*</span><p class="big">([^<]*)<`).exec(html)?.[1];
const flightCancelledForm = (over: Record<string, string>) => ({
  disruptionKind: "flight_cancelled",
  severity: "*",
  tier: "*",
  gestureId: "meal-voucher-50",
  fallbackGestureId: "",
  approvalLimit: "100",
  approvalTimeout: "4h",
  ...over,
});

describe("policy replay", () => {
  test("lowering flight-cancelled's approval limit to 40 shows the approvals it would have created and the spend granted without a manager; nothing sent, nothing written", async () => {
    const inWindow = SEEDS.filter((s) => s.daysAgo <= 30);
    const approvalsBefore = inWindow.filter((s) => s.rule.value > s.rule.limit).length;
    const limitAfter = (s: Seed) => (s.kind === "flight_cancelled" ? 40 : s.rule.limit);
    const approvalsAfter = inWindow.filter((s) => s.rule.value > limitAfter(s)).length;
    const autoAfter = inWindow.filter((s) => s.rule.value <= limitAfter(s)).reduce((n, s) => n + s.rule.value, 0);
    const autoBefore = inWindow.filter((s) => s.rule.value <= s.rule.limit).reduce((n, s) => n + s.rule.value, 0);
    expect([approvalsBefore, approvalsAfter, autoBefore, autoAfter]).toEqual([3, 8, 265, 15]); // the arithmetic, spelled out

    const counts = await tableCounts(w.prisma);
    const deliveries = w.resend.deliveries.length + w.twilio.deliveries.length;
    const res = await post(
      "/dashboard/policies/rules/flight-cancelled/replay",
      flightCancelledForm({ approvalLimit: "40" }),
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(figure(html, "disruptions")).toBe(String(inWindow.length));
    expect(figure(html, "approvals")).toBe(`${approvalsBefore} → ${approvalsAfter}`);
    expect(figure(html, "auto-spend-change")).toBe(`${autoAfter - autoBefore} EUR`);
    expect(figure(html, "spend-change")).toBe("0 EUR"); // the same gestures, approved or not
    expect(figure(html, "changed")).toBe(String(approvalsAfter - approvalsBefore));
    expect(html).toContain("Meal voucher (50) (50 EUR) → Meal voucher (50) (50 EUR), needs approval");

    expect(await tableCounts(w.prisma)).toEqual(counts);
    expect(w.resend.deliveries.length + w.twilio.deliveries.length).toBe(deliveries);
    const policy = await w.prisma.gesturePolicy.findUniqueOrThrow({ where: { id: "flight-cancelled" } });
    expect(Number(policy.approvalLimit)).toBe(100);
  });

  test("the JSON API answers the same replay (scope read), writes nothing, and names an unknown policy", async () => {
    const counts = await tableCounts(w.prisma);
    const res = await w.request("POST", "/api/replay/policies", {
      days: 30,
      policies: [{ id: "flight-cancelled", gestureId: "meal-voucher-50", approvalLimit: 40 }],
    });
    expect(res.status).toBe(200);
    const body = res.body as unknown as {
      disruptions: number;
      before: { approvals: number };
      after: { approvals: number };
      autoSpendChange: Record<string, number>;
      window: { days: number; capped: boolean };
    };
    const inWindow = SEEDS.filter((s) => s.daysAgo <= 30);
    expect(body.disruptions).toBe(inWindow.length);
    expect([body.before.approvals, body.after.approvals]).toEqual([3, 8]);
    expect(body.autoSpendChange).toEqual({ EUR: -250 });
    expect(body.window).toMatchObject({ days: 30, capped: false });
    expect(await tableCounts(w.prisma)).toEqual(counts);

    const unknown = await w.request("POST", "/api/replay/policies", { policies: [{ id: "nope", approvalLimit: 1 }] });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('no policy \\"nope\\"');
    const noKey = await w.runtime.app.request("/api/replay/policies", { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
  });

  test("a cheaper gesture shows the spend change; 7 days leave out the older disruption; saving from the replay stores it", async () => {
    const days = 7;
    const inWindow = SEEDS.filter((s) => s.daysAgo <= days);
    const flights = inWindow.filter((s) => s.kind === "flight_cancelled").length;
    const form = flightCancelledForm({ gestureId: "meal-voucher-15" });
    const res = await post("/dashboard/policies/rules/flight-cancelled/replay", { ...form, days: String(days) });
    const html = await res.text();
    expect(figure(html, "disruptions")).toBe(String(inWindow.length));
    expect(figure(html, "spend-change")).toBe(`${flights * (15 - 50)} EUR`);
    expect(html).toContain(`Replayed over the last ${days} days`);

    const token = /name="replay" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? "";
    expect((await post("/dashboard/policies/rules/flight-cancelled", { ...form, replay: token })).status).toBe(303);
    const policy = await w.prisma.gesturePolicy.findUniqueOrThrow({ where: { id: "flight-cancelled" } });
    expect(policy.gestureId).toBe("meal-voucher-15");
  });
});
