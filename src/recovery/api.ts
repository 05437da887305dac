import { Hono } from "hono";
import { z } from "zod";
import type { ApiKeyStore } from "../auth/api-keys.ts";
import { apiKeyActor, audit } from "../auth/audit.ts";
import { type AuthVariables, requireScope } from "../auth/middleware.ts";
import type { PrismaClient } from "../db/generated/node/client.ts";
import { formatIssues } from "../events/issues.ts";
import { afterPosition, decodeCursor, nextCursor } from "../http/cursor.ts";
import { AppError, validationFailed } from "../http/errors.ts";
import type { MakegoodInngest } from "../inngest/client.ts";
import { loadGestureFollowUps } from "./approval-metrics.ts";
import { decideApproval } from "./decide-approval.ts";
import { loadDeliveryMetrics } from "./delivery-metrics.ts";
import { loadTrustMetrics } from "./metrics-query.ts";
import { loadSeriesWithPrevious } from "./metrics-series.ts";
import { DELIVERY_HISTORY, DISRUPTION_ORDER, disruptionWhere, findDisruptionDetail } from "./queries.ts";

export interface RecoveryApiDeps {
  prisma: PrismaClient;
  inngest: MakegoodInngest;
  apiKeys: ApiKeyStore;
  now: () => Date;
}

/** A series is per day or week of at most a year (a year of days is ~1,100 rollup rows per figure). */
const SERIES_MAX_MS = 366 * 86_400_000;

export const ListQuery = z.strictObject({
  kind: z.string().max(64).optional(),
  status: z.string().max(32).optional(),
  customerId: z.string().max(256).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const MessagesQuery = z.strictObject({
  disruptionId: z.string().max(100).optional(),
  channel: z.enum(["email", "sms"]).optional(),
  status: z.string().max(32).optional(),
  deliveryStatus: z.string().max(32).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const MetricsQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    series: z.enum(["day", "week"]).optional(),
  })
  .refine((q) => !q.series || (q.from && q.to), { path: ["series"], message: "needs both from and to" })
  .refine((q) => !q.series || !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= SERIES_MAX_MS, {
    path: ["series"],
    message: "covers at most 366 days",
  });
export const Decision = z.strictObject({
  decision: z.enum(["approve", "deny"]),
  note: z.string().max(1000).optional(),
});

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationFailed("the request", formatIssues(result.error));
}

const json = (text: string | null) => (text === null ? null : (JSON.parse(text) as unknown));

/** `/api/disruptions`, `/api/messages`, `/api/metrics` (API.md). Mounted at `/api`. */
export function recoveryRoutes(deps: RecoveryApiDeps): Hono<{ Variables: AuthVariables }> {
  const api = new Hono<{ Variables: AuthVariables }>();
  const read = requireScope(deps.apiKeys, "read");
  const { prisma } = deps;

  api.get("/disruptions", read, async (c) => {
    const q = parse(ListQuery, c.req.query());
    const rows = await prisma.disruption.findMany({
      where: disruptionWhere({
        kind: q.kind,
        status: q.status,
        customerId: q.customerId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        after: decodeCursor(q.cursor),
      }),
      orderBy: DISRUPTION_ORDER,
      take: q.limit,
    });
    return c.json({
      disruptions: rows.map((d) => ({ ...d, facts: json(d.facts) })),
      cursor: nextCursor(rows, q.limit, (d) => ({ at: d.detectedAt, id: d.id })),
    });
  });

  api.get("/disruptions/:id", read, async (c) => {
    const found = await findDisruptionDetail(prisma, c.req.param("id"));
    if (!found) throw new AppError("not_found", "no disruption with that id");
    const { customer: _customer, ...d } = found;
    return c.json({
      ...d,
      facts: json(d.facts),
      timeline: d.timeline.map((t) => ({ ...t, data: json(t.data) })),
      grants: d.grants.map((g) => ({ ...g, value: Number(g.value) })),
    });
  });

  api.post("/disruptions/:id/approval", requireScope(deps.apiKeys, "approve"), async (c) => {
    if (!c.req.header("content-type")?.startsWith("application/json"))
      throw new AppError("unsupported_media_type", "send JSON (application/json)");
    const body = parse(Decision, await c.req.json().catch(() => undefined));
    const by = `api key ${c.get("apiKey").name}`;
    const decided = await decideApproval(deps, {
      disruptionId: c.req.param("id"),
      decision: body.decision,
      note: body.note,
      by,
    });
    await audit(
      prisma,
      apiKeyActor(c.get("apiKey")),
      `approval.${body.decision}`,
      c.req.param("id"),
      { note: body.note ?? null },
      deps.now(),
    );
    return c.json(decided);
  });

  api.get("/messages", read, async (c) => {
    const q = parse(MessagesQuery, c.req.query());
    const messages = await prisma.message.findMany({
      where: {
        AND: [
          { disruptionId: q.disruptionId, channel: q.channel, status: q.status, deliveryStatus: q.deliveryStatus },
          afterPosition("createdAt", decodeCursor(q.cursor)),
        ],
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: q.limit,
      include: DELIVERY_HISTORY,
    });
    return c.json({ messages, cursor: nextCursor(messages, q.limit, (m) => ({ at: m.createdAt, id: m.id })) });
  });

  api.get("/metrics", read, async (c) => {
    const q = parse(MetricsQuery, c.req.query());
    const period = { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
    const now = deps.now();
    const [metrics, delivery, gestureFollowUps, series] = await Promise.all([
      loadTrustMetrics(prisma, period, now),
      loadDeliveryMetrics(prisma, period, now),
      loadGestureFollowUps(prisma, period, now),
      q.series && period.from && period.to
        ? loadSeriesWithPrevious(prisma, { from: period.from, to: period.to }, now, q.series === "week" ? 7 : 1)
        : undefined,
    ]);
    return c.json({
      from: q.from ?? null,
      to: q.to ?? null,
      ...metrics,
      delivery,
      gestureFollowUps,
      ...(series ?? {}),
    });
  });

  return api;
}
