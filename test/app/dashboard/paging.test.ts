/**
 * The dashboard's lists page with keyset cursors: walking "Older →" sees each row exactly once
 * (ties on the time broken by the id, new rows arriving meanwhile), and "← Newer" walks back.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addUser, type Browser, startDashboard } from "./harness.ts";
import { signedIn } from "./recovery-seed.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
let admin: Browser;
beforeAll(async () => {
  h = await startDashboard();
  admin = (await signedIn(h.runtime, await addUser(h.runtime, "admin"), h.now())).browser;
  await h.runtime.prisma.customer.create({ data: { id: "pager", name: "Pat Pager", tier: "valued" } });
});
afterAll(() => h.stop());

const T0 = Date.parse("2026-01-01T00:00:00Z");
/** Five rows share each second; ids in no relation to time. */
const at = (i: number) => new Date(T0 + Math.floor(i / 5) * 1000);
const scrambled = (prefix: string, i: number) => `${prefix}_${String((i * 7919) % 10_007).padStart(5, "0")}_${i}`;

const disruption = (i: number, when = at(i)) => ({
  id: scrambled("dis", i),
  customerId: "pager",
  kind: "shipment_delay",
  subjectKey: `order:pager-${i}`,
  severity: "low",
  status: "resolved",
  reason: "late",
  facts: "{}",
  signalAt: when,
  detectedAt: when,
});

const link = (html: string, rel: "next" | "prev") =>
  [...html.matchAll(/<a rel="(next|prev)" href="([^"]+)"/g)].find((m) => m[1] === rel)?.[2]?.replace(/&amp;/g, "&");

/** The paths walked, in order. */
const visited: string[] = [];

async function walk(
  start: string,
  ids: (html: string) => string[],
  rel: "next" | "prev" = "next",
  during?: () => Promise<void>,
) {
  const pages: string[][] = [];
  let path: string | undefined = start;
  while (path && pages.length < 100) {
    visited.push(path);
    const response = await admin.request("GET", path);
    expect(response.status).toBe(200);
    const html = await response.text();
    pages.push(ids(html));
    path = link(html, rel);
    await during?.();
  }
  return pages;
}

describe("keyset paging on the dashboard", () => {
  test("recoveries: 130 rows, 25 a page, each seen once while new ones arrive; Newer walks back", async () => {
    await h.runtime.prisma.disruption.createMany({ data: Array.from({ length: 130 }, (_, i) => disruption(i)) });
    let arriving = 1000;
    const rowIds = (html: string) =>
      [...html.matchAll(/href="\/dashboard\/recoveries\/(dis_[^"]+)"/g)].map((m) => m[1] ?? "");
    const pages = await walk("/dashboard/recoveries?customer=pager", rowIds, "next", async () => {
      await h.runtime.prisma.disruption.create({ data: disruption(arriving++, new Date(T0 + 86_400_000 + arriving)) });
    });
    const seen = pages.flat();
    const originals = Array.from({ length: 130 }, (_, i) => disruption(i).id);
    expect(seen.filter((id) => originals.includes(id)).sort()).toEqual([...originals].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages.map((p) => p.length)).toEqual([25, 25, 25, 25, 25, 5]);
    // Newest first: the walk's order is (detectedAt, id) descending.
    expect(seen).toEqual(
      [...originals].sort((a, b) => {
        const [da, db] = [originals.indexOf(a), originals.indexOf(b)].map((i) => at(i).getTime());
        return (db ?? 0) - (da ?? 0) || (a < b ? 1 : -1);
      }),
    );

    // From the last page, "← Newer" walks back through the same pages (then on to the rows that arrived).
    const path = visited.at(-1) ?? "";
    const back = await walk(path, rowIds, "prev");
    expect(back[0]).toEqual(pages[5]);
    expect(back.slice(1, 6).reverse().flat()).toEqual(seen.slice(0, 125));
    expect(back[6]).toHaveLength(6);
  }, 60_000);

  test("approvals (oldest first), attention and the audit log page the same way", async () => {
    const { prisma } = h.runtime;
    await prisma.approval.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        id: scrambled("appr", i),
        disruptionId: disruption(i).id,
        grantId: `grant-${i}`,
        requestedAt: at(i),
        expiresAt: new Date(T0 + 86_400_000),
      })),
    });
    const approvals = await walk("/dashboard/approvals", (html) =>
      [...html.matchAll(/data-approval="([^"]+)"/g)].map((m) => m[1] ?? ""),
    );
    expect(approvals.map((p) => p.length)).toEqual([25, 25, 10]);
    expect(new Set(approvals.flat()).size).toBe(60);
    expect(approvals.flat()[0]).toBe(
      scrambled("appr", [0, 1, 2, 3, 4].sort((a, b) => (scrambled("appr", a) < scrambled("appr", b) ? -1 : 1))[0] ?? 0),
    );

    await prisma.signalIssue.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        id: scrambled("iss", i),
        eventId: `evt-${i}`,
        eventType: "shipment.eta_updated",
        reason: "no_delay_length",
        detail: "no delay length",
        createdAt: at(i),
      })),
    });
    const issues = await walk("/dashboard/attention?reason=no_delay_length", (html) =>
      [...html.matchAll(/data-issue="([^"]+)"/g)].map((m) => m[1] ?? ""),
    );
    expect(issues.map((p) => p.length)).toEqual([25, 15]);
    expect(new Set(issues.flat()).size).toBe(40);

    await prisma.auditLog.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        id: scrambled("aud", i),
        at: at(i),
        actor: "cli",
        action: "test.page",
        target: String(i),
      })),
    });
    const audit = await walk("/dashboard/audit", (html) =>
      [...html.matchAll(/data-audit="([^"]+)"/g)].map((m) => m[1] ?? ""),
    );
    expect(new Set(audit.flat()).size).toBe(audit.flat().length);
    expect(audit.flat().filter((id) => /^aud_\d{5}_/.test(id))).toHaveLength(120);
  }, 60_000);

  test("a cursor the page cannot read starts at the first page", async () => {
    const response = await admin.request("GET", "/dashboard/recoveries?customer=pager&after=not-a-cursor");
    expect(response.status).toBe(200);
  });
});
