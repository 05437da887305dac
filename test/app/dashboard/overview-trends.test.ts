/**
 * The overview's trends and comparisons are true: per day, per week and for the previous period
 * they equal the seeded rows counted by their definitions (a day with nothing included), on the
 * page and in `GET /api/metrics?series=`; and every figure and bar opens a recoveries list that
 * holds exactly the recoveries it counts, walked page by page.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiKey } from "../../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../../src/auth/prisma-key-store.ts";
import { loadSeries, previousPeriod, type SeriesBucket } from "../../../src/recovery/metrics-series.ts";
import { addUser, type Browser, startDashboard } from "./harness.ts";
import { EMPTY_DAY, expected, type Seeded, seedTrends } from "./overview-seed.ts";
import { signedIn } from "./recovery-seed.ts";

const DAY = 86_400_000;
let h: Awaited<ReturnType<typeof startDashboard>>;
let viewer: Browser;
let seeded: Seeded;
let readKey: string;

beforeAll(async () => {
  h = await startDashboard();
  seeded = await seedTrends(h.runtime.prisma);
  viewer = (await signedIn(h.runtime, await addUser(h.runtime, "viewer"), h.now())).browser;
  readKey = (await createApiKey(prismaApiKeyStore(h.runtime.prisma), "trends", ["read"])).secret;
});
afterAll(() => h.stop());

const now = () => h.now();
/** The overview's 7 days: 30 Dec 00:00 … now (5 Jan 09:00). */
const sevenDays = () => ({ from: new Date(Date.parse("2025-12-30T00:00:00Z")), to: now() });
const figuresOf = (b: SeriesBucket | Awaited<ReturnType<typeof loadSeries>>["totals"]) => {
  const { from: _f, to: _t, ...rest } = b as SeriesBucket;
  const { first: _a, last: _b, ...figures } = rest;
  return figures;
};

describe("the series", () => {
  test("per day, each day and the whole period equal the seeded rows; the empty day is empty", async () => {
    expect(now().toISOString()).toBe("2026-01-05T09:00:00.000Z");
    for (const kind of [undefined, "flight_cancelled"]) {
      const period = { ...sevenDays(), kind };
      const series = await loadSeries(h.runtime.prisma, period, now(), 1);
      expect(series.buckets.map((b) => b.first)).toEqual([
        "2025-12-30",
        "2025-12-31",
        "2026-01-01",
        "2026-01-02",
        "2026-01-03",
        "2026-01-04",
        "2026-01-05",
      ]);
      expect(figuresOf(series.totals), `totals ${kind}`).toEqual(expected(seeded, period.from, period.to, kind));
      for (const b of series.buckets) {
        const to = new Date(Math.min(now().getTime(), Date.parse(`${b.last}T00:00:00Z`) + DAY - 1));
        expect(b.to).toEqual(to);
        expect(figuresOf(b), `${b.first} ${kind}`).toEqual(
          expected(seeded, new Date(`${b.first}T00:00:00Z`), to, kind),
        );
      }
      const empty = series.buckets.find((b) => b.first === EMPTY_DAY);
      expect(empty).toMatchObject({
        disruptions: 0,
        notified: 0,
        toldFirstRate: null,
        timeToNotifyP50Ms: null,
        reported: 0,
        deliveredRate: null,
        spend: [],
      });
    }
    // Not vacuous: the period has every kind of row.
    const all = expected(seeded, sevenDays().from, now());
    for (const n of [all.toldFirst, all.notToldFirst, all.notToldYet, all.undelivered, all.spend[0]?.count ?? 0])
      expect(n).toBeGreaterThan(0);
  });

  test("the previous period is as long, to the same time of day, and equals its rows", async () => {
    const { from, to } = sevenDays();
    const before = previousPeriod(from, to);
    expect(before).toEqual({ from: new Date("2025-12-23T00:00:00Z"), to: new Date("2025-12-29T09:00:00Z") });
    const series = await loadSeries(h.runtime.prisma, before, now(), 1);
    expect(figuresOf(series.totals)).toEqual(expected(seeded, before.from, before.to));
    expect(figuresOf(series.totals)).not.toEqual(
      figuresOf((await loadSeries(h.runtime.prisma, { from, to }, now(), 1)).totals),
    );
  });

  test("per week, the last week ends today and the first is cut at the period's start", async () => {
    const from = new Date("2025-12-14T00:00:00Z");
    const series = await loadSeries(h.runtime.prisma, { from, to: now() }, now(), 7);
    expect(series.buckets.map((b) => [b.first, b.last])).toEqual([
      ["2025-12-14", "2025-12-15"],
      ["2025-12-16", "2025-12-22"],
      ["2025-12-23", "2025-12-29"],
      ["2025-12-30", "2026-01-05"],
    ]);
    for (const b of series.buckets) expect(figuresOf(b), b.first).toEqual(expected(seeded, b.from, b.to));
    expect(series.buckets[0]?.disruptions).toBe(0);
  });
});

const page = async (path: string) => {
  const r = await viewer.request("GET", path);
  expect(r.status, path).toBe(200);
  return r.text();
};
const unescapeHtml = (s: string) =>
  s.replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<");
/** Every recovery of a list, walking its "Older" links. */
async function listed(path: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = path;
  for (let pages = 0; next && pages < 20; pages++) {
    const html: string = await page(next);
    ids.push(...[...html.matchAll(/href="\/dashboard\/recoveries\/(dis_[^"]+)"/g)].map((m) => m[1] as string));
    next = /<a rel="next" href="([^"]+)"/.exec(html)?.[1];
    next = next ? unescapeHtml(next) : undefined;
  }
  return ids;
}
const section = (html: string, name: string) => {
  const start = html.indexOf(`data-metric="${name}"`);
  expect(start, name).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf("</section>", start));
};
/** A section's links with their words: text links and the charts' labelled ones. */
const links = (html: string) =>
  [...html.matchAll(/<a href="([^"]+)"(?: aria-label="([^"]*)")?>([^<]*)</g)].map((m) => ({
    href: unescapeHtml(m[1] as string),
    words: unescapeHtml(m[2] ?? m[3] ?? ""),
  }));
const count = (words: string) =>
  Number(/(\d+) (?:told first|complained first|not told yet|gestures granted|bounced)/.exec(words)?.[1]);

describe("the overview", () => {
  test("each headline figure shows the previous 7 days beside it", async () => {
    const html = await page("/dashboard?days=7");
    const { from, to } = sevenDays();
    const cur = expected(seeded, from, to);
    const prev = expected(seeded, ...(Object.values(previousPeriod(from, to)) as [Date, Date]));
    const pct = (v: number | null) => `${Math.round((v ?? 0) * 100)}%`;
    const big = (name: string) => /<p class="big"><a [^>]*>([^<]*)</.exec(section(html, name))?.[1];
    const compare = (name: string) =>
      /data-compare="true">previous 7 days <a [^>]*>([^<]*)<\/a>([^<]*)</.exec(section(html, name));
    expect(big("proactive-rate")).toBe(pct(cur.toldFirstRate));
    expect(compare("proactive-rate")?.[1]).toBe(pct(prev.toldFirstRate));
    expect(big("time-to-notify")).toBe(`${((cur.timeToNotifyP50Ms ?? 0) / 1000).toFixed(1)} s`);
    expect(compare("time-to-notify")?.[1]).toBe(`${((prev.timeToNotifyP50Ms ?? 0) / 1000).toFixed(1)} s`);
    expect(big("delivered-rate")).toBe(pct(cur.deliveredRate));
    expect(compare("delivered-rate")?.[1]).toBe(pct(prev.deliveredRate));
    expect(big("spend")).toBe(`${cur.spend[0]?.total} EUR`);
    expect(compare("spend")?.[1]).toBe(`${prev.spend[0]?.total} EUR`);
    // The change is said in words, not only by an arrow's colour.
    expect(compare("proactive-rate")?.[2]).toMatch(/^ · (▲|▼) \d+ points, (better|worse)$|^ · = no change$/);
    // Seven day bars in each trend; the empty day has no link.
    const bars = links(section(html, "proactive-rate")).filter((l) => l.words.includes("Show these"));
    expect(bars).toHaveLength(6);
    expect(section(html, "proactive-rate")).toContain("2 Jan: no one told");
  });

  test("per week over 90 days", async () => {
    const html = await page("/dashboard?days=90");
    const bars = links(section(html, "proactive-rate")).filter((l) => l.words.includes("Show these"));
    expect(bars.at(-1)?.words).toMatch(/^30 Dec – 5 Jan: /);
    expect(html).toContain("Disruptions per week");
  });

  test("every figure and every bar opens exactly the recoveries it counts", async () => {
    const html = await page("/dashboard?days=7");
    const { from, to } = sevenDays();
    const cur = expected(seeded, from, to);
    const prev = expected(seeded, ...(Object.values(previousPeriod(from, to)) as [Date, Date]));
    const told = links(section(html, "proactive-rate"));
    const figure = (name: string) => links(section(html, name))[0]?.href as string;
    // The figures: told first and time to notify → the notified; delivered → the undelivered; spend → the grants.
    expect(await listed(figure("proactive-rate"))).toHaveLength(cur.notified);
    expect(await listed(figure("time-to-notify"))).toHaveLength(cur.notified);
    expect(await listed(figure("delivered-rate"))).toHaveLength(cur.undelivered);
    expect(await listed(figure("spend"))).toHaveLength(cur.spend[0]?.count ?? -1);
    // The previous period's figures.
    const previousLink = (name: string) =>
      unescapeHtml(/data-compare="true">previous 7 days <a href="([^"]+)"/.exec(section(html, name))?.[1] ?? "");
    expect(await listed(previousLink("proactive-rate"))).toHaveLength(prev.notified);
    expect(await listed(previousLink("spend"))).toHaveLength(prev.spend[0]?.count ?? -1);
    // The words under told first, each with its count.
    for (const l of told.filter((l) => /^\d+ (told|complained) first$/.test(l.words)))
      expect(await listed(l.href), l.words).toHaveLength(count(l.words));
    expect(told.filter((l) => /^\d+ (told|complained) first$/.test(l.words)).map((l) => count(l.words))).toEqual([
      cur.toldFirst,
      cur.notToldFirst,
    ]);
    // Each part of each day's bar of the disruptions chart.
    const parts = links(section(html, "disruptions")).filter((l) => l.words.endsWith("Show them"));
    expect(parts.length).toBeGreaterThan(10);
    let total = 0;
    for (const p of parts) {
      const ids = await listed(p.href);
      expect(ids, p.words).toHaveLength(count(p.words));
      total += ids.length;
    }
    expect(total).toBe(cur.disruptions);
    // The trend bars of told first: each day's notified.
    for (const bar of told.filter((l) => l.words.includes("Show these"))) {
      const n = Number(/of (\d+)\)/.exec(bar.words)?.[1]);
      expect(await listed(bar.href), bar.words).toHaveLength(n);
    }
    // The total count in the chart's heading lists every counted disruption (three pages of 25).
    const heading = links(section(html, "disruptions"))[0] as { href: string; words: string };
    expect(Number(heading.words)).toBe(cur.disruptions);
    expect(cur.disruptions).toBeGreaterThan(25);
    const all = await listed(heading.href);
    expect(new Set(all).size).toBe(cur.disruptions);
  });

  test("the list says the filter in plain words and offers to clear it", async () => {
    const html = await page(
      "/dashboard/recoveries?outcome=undelivered&from=2025-12-30&to=2026-01-05T09%3A00%3A00.000Z",
    );
    expect(html).toContain(
      "<strong>Showing:</strong> a message bounced or was not delivered · message sent from 30 Dec 2025 to",
    );
    expect(html).toMatch(/<a href="\/dashboard\/recoveries" class="clear">Clear filters<\/a>/);
    // The instant travels in a hidden field so "Filter" keeps it.
    expect(html).toContain('<input type="hidden" name="to" value="2026-01-05T09:00:00.000Z"');
  });

  test("a bad period or kind on the overview is a 400 that names it", async () => {
    const r = await viewer.request("GET", "/dashboard?days=12&kind=boat");
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain("<code>days</code>");
    expect(html).toContain("<code>kind</code>");
  });
});

describe("GET /api/metrics?series=", () => {
  const get = (query: string) =>
    h.runtime.app.request(`/api/metrics${query}`, { headers: { authorization: `Bearer ${readKey}` } });

  test("adds the per-day series and the previous period, keeping every other field", async () => {
    const { from, to } = sevenDays();
    const q = `?from=${from.toISOString()}&to=${to.toISOString()}`;
    const plain = (await (await get(q)).json()) as Record<string, unknown>;
    const r = await get(`${q}&series=day`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown> & {
      series: Array<Record<string, unknown>>;
      previous: Record<string, unknown>;
    };
    const { series, previous, ...rest } = body;
    expect(rest).toEqual(plain);
    expect(series).toHaveLength(7);
    expect(series[3]).toMatchObject({ first: EMPTY_DAY, disruptions: 0, toldFirstRate: null });
    const { from: _f, to: _t, ...prevFigures } = previous;
    const p = previousPeriod(from, to);
    expect(prevFigures).toEqual(expected(seeded, p.from, p.to));
    expect(previous.from).toBe(p.from.toISOString());
  });

  test("a series needs both ends of the period", async () => {
    const r = await get("?from=2025-12-30T00:00:00Z&series=day");
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { details: Array<{ field: string }> } };
    expect(body.error.details.map((d) => d.field)).toEqual(["series"]);
    expect((await get("?from=2025-12-30T00:00:00Z&to=2026-01-01T00:00:00Z&series=month")).status).toBe(400);
  });
});
