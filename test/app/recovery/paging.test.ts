/**
 * Keyset paging: walking a list page by page sees every row exactly once, even while new rows
 * arrive and when many rows share a timestamp.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, startRuntime } from "../events/harness.ts";

let env: Awaited<ReturnType<typeof startRuntime>>;
beforeAll(async () => {
  env = await startRuntime();
  await env.runtime.prisma.customer.create({
    data: { id: "walker", name: "Walker", locale: "en-GB", timeZone: "Europe/London", tier: "standard" },
  });
}, 60_000);
afterAll(() => env.stop());

const T0 = Date.parse("2026-01-01T00:00:00Z");
/** Ten rows share each second, so the id must break ties. */
const disruption = (i: number, at = new Date(T0 + Math.floor(i / 10) * 1000)) => ({
  id: `dis_${String((i * 7919) % 10_007).padStart(5, "0")}_${i}`, // ids in no relation to time, as UUIDs are
  customerId: "walker",
  kind: "shipment_delay",
  subjectKey: `order:${i}`,
  severity: "low",
  reason: "late",
  facts: "{}",
  signalAt: at,
  detectedAt: at,
});

async function page(path: string) {
  const response = await call(env.runtime, "GET", path, undefined, { key: env.keys.read });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    disruptions?: Array<{ id: string }>;
    messages?: Array<{ id: string }>;
    cursor?: string;
  };
}

describe("paging", () => {
  test("10,000 disruptions walked in pages of 200 while new ones arrive: each seen exactly once", async () => {
    const prisma = env.runtime.prisma;
    for (let i = 0; i < 10_000; i += 1000)
      await prisma.disruption.createMany({ data: Array.from({ length: 1000 }, (_, j) => disruption(i + j)) });
    const seen = new Map<string, number>();
    let cursor: string | undefined;
    let pages = 0;
    let arriving = 10_000;
    do {
      const body = await page(`/api/disruptions?customerId=walker&limit=200${cursor ? `&cursor=${cursor}` : ""}`);
      for (const d of body.disruptions ?? []) seen.set(d.id, (seen.get(d.id) ?? 0) + 1);
      cursor = body.cursor;
      pages++;
      // New disruptions arrive between pages (newer than everything walked so far).
      await prisma.disruption.createMany({
        data: Array.from({ length: 25 }, () => disruption(arriving++, new Date(T0 + 86_400_000 + arriving))),
      });
    } while (cursor && pages < 100);
    const originals = Array.from({ length: 10_000 }, (_, i) => disruption(i).id);
    expect(originals.filter((id) => seen.get(id) !== 1)).toEqual([]);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(pages).toBe(51); // 50 full pages, then an empty one ends the walk
  }, 120_000);

  test("messages page the same way", async () => {
    const prisma = env.runtime.prisma;
    await prisma.disruption.create({ data: disruption(999_999) });
    const at = new Date(T0);
    await prisma.message.createMany({
      data: Array.from({ length: 250 }, (_, i) => ({
        id: `msg_${String(i).padStart(4, "0")}`,
        disruptionId: disruption(999_999).id,
        customerId: "walker",
        purpose: "apology",
        channel: "email",
        recipient: "walker@example.com",
        status: "sent",
        idempotencyKey: `paging:${i}`,
        createdAt: at, // all at once: only the id orders them
      })),
    });
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const body = await page(
        `/api/messages?disruptionId=${disruption(999_999).id}&limit=100${cursor ? `&cursor=${cursor}` : ""}`,
      );
      ids.push(...(body.messages ?? []).map((m) => m.id));
      cursor = body.cursor;
    } while (cursor);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
  });

  test("a cursor we did not issue is a 400 naming the cursor, and changes nothing", async () => {
    const response = await call(env.runtime, "GET", "/api/disruptions?cursor=not-ours", undefined, {
      key: env.keys.read,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: Array<{ field: string }> } };
    expect(body.error.details.map((d) => d.field)).toEqual(["cursor"]);
  });
});
