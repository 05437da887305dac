import { afterAll, beforeAll, expect, test } from "vitest";
import { addUser, type Browser, startDashboard } from "./harness.ts";
import { seedRecovery, signedIn } from "./recovery-seed.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
let viewer: Browser;

beforeAll(async () => {
  h = await startDashboard(); // the virtual clock starts on 2026-01-05 09:00 UTC
  viewer = (await signedIn(h.runtime, await addUser(h.runtime, "viewer"), h.now())).browser;
  const told = await seedRecovery(h.runtime, { detectedAt: new Date("2026-01-04T09:00:00Z") });
  await h.runtime.prisma.disruption.update({
    where: { id: told.disruptionId },
    data: { firstMessageAt: new Date("2026-01-04T09:00:02Z") },
  });
  const late = await seedRecovery(h.runtime, {
    kind: "flight_delayed",
    complainedFirst: true,
    detectedAt: new Date("2026-01-03T09:00:00Z"),
  });
  await h.runtime.prisma.disruption.update({
    where: { id: late.disruptionId },
    data: { firstMessageAt: new Date("2026-01-03T09:00:06Z") },
  });
  await seedRecovery(h.runtime, { pending: true, detectedAt: new Date("2026-01-05T08:00:00Z") });
});
afterAll(() => h.stop());

const overview = async (query = "") => {
  const r = await viewer.request("GET", `/dashboard${query}`);
  expect(r.status).toBe(200);
  return r.text();
};
const metric = (html: string, name: string) =>
  new RegExp(`data-metric="${name}">.*?<p class="big">(?:<a [^>]*>)?([^<]*)<`, "s").exec(html)?.[1];

test("the overview shows the trust metrics for the period", async () => {
  const html = await overview();
  expect(metric(html, "proactive-rate")).toBe("50%");
  expect(metric(html, "time-to-notify")).toBe("2.0 s");
  expect(metric(html, "pending-approvals")).toBe("1");
  expect(html).toMatch(/Disruptions per day \(<a href="[^"]+">3<\/a>\)/);
  expect(html).toMatch(/<svg class="chart"[^>]*aria-label="Disruptions per day, by what happened"/);
  expect(html).toContain("3 Jan: 0 told first, 1 complained first, 0 not told yet");
});

test("a kind filter narrows every figure to that kind", async () => {
  const html = await overview("?kind=flight_delayed");
  expect(metric(html, "proactive-rate")).toBe("0%");
  expect(html).toMatch(/Disruptions per day \(<a href="[^"]+">1<\/a>\)/);
});

test("anonymous visitors are sent to sign in", async () => {
  const r = await h.runtime.app.request("/dashboard");
  expect(r.status).toBe(302);
  expect(r.headers.get("location")).toContain("/dashboard/login");
});

test("gestures that waited for a manager: whether the apology came first, and the recoveries behind the figure", async () => {
  const pending = await h.runtime.prisma.disruption.findFirstOrThrow({ where: { status: "awaiting_approval" } });
  let html = await overview();
  // The seeded one waits for a manager and has no apology yet.
  expect(metric(html, "gesture-follow-ups")).toBe("0%");
  expect(html).toContain(
    "of 1 customers whose gesture waited for a manager had our apology first. 0 approved, 0 denied, 0 timed out, 1 waiting",
  );
  await h.runtime.prisma.disruption.update({
    where: { id: pending.id },
    data: { firstMessageAt: new Date("2026-01-05T08:00:03Z") },
  });
  html = await overview();
  expect(metric(html, "gesture-follow-ups")).toBe("100%");
  const href = /data-metric="gesture-follow-ups">.*?<a href="([^"]+)"/s.exec(html)?.[1]?.replaceAll("&amp;", "&");
  expect(href).toContain("outcome=needed_approval");
  const list = await (await viewer.request("GET", href as string)).text();
  expect(list).toContain("a gesture waited for a manager");
  const linked = [...list.matchAll(/href="\/dashboard\/recoveries\/([^"]+)"/g)].map((x) =>
    decodeURIComponent(x[1] as string),
  );
  expect(linked).toEqual([pending.id]);
});
