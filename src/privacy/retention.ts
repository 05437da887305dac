/**
 * Retention (RETENTION_DAYS): what messages said and what events carried is kept N days, then
 * purged — message subjects and bodies, outbox rows, accepted events' payloads. The facts stay:
 * messages' channel, purpose, status and times, disruptions, grants (the metrics need nothing more).
 *
 * Idempotent: each table is walked in time order from where the last purge finished (a `Setting`
 * row, `retention.<table>.through`), a page at a time, so a daily run reads only the day that
 * expired, and every statement binds at most 91 parameters (D1's limit is 100).
 */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { sqlTime } from "../db/sql-time.ts";
import { chunked } from "./sql.ts";

/** The stored form of an event payload past retention. */
export const PURGED_BODY = '{"purged":true}';

export interface PurgeReport {
  before: string;
  messages: number;
  outboxEntries: number;
  events: number;
}

interface Walk {
  table: "Message" | "InboundEvent";
  time: "createdAt" | "receivedAt";
  /** What a row becomes. */
  set: string;
  /** Only rows that still hold something (so a repeat changes nothing). */
  holds: string;
}

const WALKS: Walk[] = [
  {
    table: "Message",
    time: "createdAt",
    set: `"subject" = NULL, "html" = NULL, "text" = NULL, "body" = NULL`,
    holds: `("subject" IS NOT NULL OR "html" IS NOT NULL OR "text" IS NOT NULL OR "body" IS NOT NULL)`,
  },
  {
    table: "InboundEvent",
    time: "receivedAt",
    set: `"body" = '${PURGED_BODY}'`,
    // Not yet handed to the engine: the re-dispatch still needs it.
    holds: `"body" <> '${PURGED_BODY}' AND "dispatchedAt" IS NOT NULL`,
  },
];

export async function purgeExpiredContent(
  prisma: PrismaClient,
  now: Date,
  retentionDays: number,
  opts: { page?: number } = {},
): Promise<PurgeReport> {
  const page = opts.page ?? 900;
  const before = sqlTime(new Date(now.getTime() - retentionDays * 86_400_000));
  // A row walked past while still holding content it needs (an event not yet dispatched) is not
  // revisited: the re-dispatch hands such events over within minutes of their arrival.
  const counts: Record<Walk["table"], number> = { Message: 0, InboundEvent: 0 };
  for (const walk of WALKS) {
    const mark = `retention.${walk.table}.through`;
    const saved = await prisma.setting.findUnique({ where: { key: mark } });
    let from = saved ? (JSON.parse(saved.value) as { at: string; id: string }) : { at: "", id: "" };
    for (;;) {
      const rows = await prisma.$queryRawUnsafe<Array<{ id: string; at: string | Date }>>(
        `SELECT "id", "${walk.time}" AS "at" FROM "${walk.table}"
         WHERE "${walk.time}" < ? AND ("${walk.time}" > ? OR ("${walk.time}" = ? AND "id" > ?))
         ORDER BY "${walk.time}", "id" LIMIT ?`,
        before,
        from.at,
        from.at,
        from.id,
        page,
      );
      const last = rows.at(-1);
      if (!last) break;
      from = { at: last.at instanceof Date ? sqlTime(last.at) : String(last.at), id: last.id };
      const results = await prisma.$transaction([
        ...chunked(
          rows.map((r) => r.id),
          90,
        ).map((ids) =>
          prisma.$executeRawUnsafe(
            `UPDATE "${walk.table}" SET ${walk.set} WHERE "id" IN (${ids.map(() => "?").join(", ")}) AND ${walk.holds}`,
            ...ids,
          ),
        ),
        prisma.setting.upsert({
          where: { key: mark },
          create: { key: mark, value: JSON.stringify(from) },
          update: { value: JSON.stringify(from) },
        }),
      ]);
      counts[walk.table] += results.slice(0, -1).reduce<number>((n, r) => n + Number(r), 0);
      if (rows.length < page) break;
    }
  }
  // The outbox (development and demos) loses whole rows; what is deleted is not read again.
  let outboxEntries = 0;
  for (;;) {
    const n = await prisma.$executeRawUnsafe(
      `DELETE FROM "OutboxEntry" WHERE "id" IN (SELECT "id" FROM "OutboxEntry" WHERE "createdAt" < ? LIMIT ?)`,
      before,
      page,
    );
    outboxEntries += n;
    if (n < page) break;
  }
  return { before, messages: counts.Message, outboxEntries, events: counts.InboundEvent };
}
