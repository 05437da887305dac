import { Hono } from "hono";
import { z } from "zod";
import type { ApiKeyStore } from "../auth/api-keys.ts";
import { type AuthVariables, requireScope } from "../auth/middleware.ts";
import type { PrismaClient } from "../db/generated/node/client.ts";
import { AppError } from "../http/errors.ts";
import type { MakegoodInngest } from "../inngest/client.ts";
import { trustMetrics } from "./metrics.ts";
import { addTimeline } from "./timeline.ts";

export interface RecoveryApiDeps {
  prisma: PrismaClient;
  inngest: MakegoodInngest;
  apiKeys: ApiKeyStore;
  now: () => Date;
}

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
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const MetricsQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export const Decision = z.strictObject({
  decision: z.enum(["approve", "deny"]),
  note: z.string().max(1000).optional(),
});

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError(
    "validation_failed",
    "the request has invalid fields",
    result.error.issues.map((i) => ({ field: i.path.join(".") || "(root)", message: i.message })),
  );
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
      where: {
        kind: q.kind,
        status: q.status,
        customerId: q.customerId,
        detectedAt: { gte: q.from ? new Date(q.from) : undefined, lte: q.to ? new Date(q.to) : undefined },
        ...(q.cursor ? { id: { lt: q.cursor } } : {}),
      },
      orderBy: [{ detectedAt: "desc" }, { id: "desc" }],
      take: q.limit,
    });
    return c.json({
      disruptions: rows.map((d) => ({ ...d, facts: json(d.facts) })),
      cursor: rows.length === q.limit ? rows.at(-1)?.id : undefined,
    });
  });

  api.get("/disruptions/:id", read, async (c) => {
    const d = await prisma.disruption.findUnique({
      where: { id: c.req.param("id") },
      include: {
        timeline: { orderBy: { at: "asc" } },
        grants: { orderBy: { createdAt: "asc" } },
        approvals: { orderBy: { requestedAt: "asc" } },
        messages: { orderBy: { createdAt: "asc" } },
      },
    });
    if (!d) throw new AppError("not_found", "no disruption with that id");
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
    const id = c.req.param("id");
    const by = `api key ${c.get("apiKey").name}`;
    const now = deps.now();
    const decided = await prisma.$transaction(async (tx) => {
      const approval = await tx.approval.findFirst({ where: { disruptionId: id, status: "pending" } });
      if (!approval) return null;
      const status = body.decision === "approve" ? "approved" : "denied";
      const claimed = await tx.approval.updateMany({
        where: { id: approval.id, status: "pending" },
        data: { status, decidedAt: now, decidedBy: by, note: body.note ?? null },
      });
      if (claimed.count === 0) return null;
      await addTimeline(
        tx,
        id,
        now,
        "approval",
        `${body.decision === "approve" ? "Approved" : "Denied"} by ${by}`,
        body.note,
      );
      return { ...approval, status };
    });
    if (!decided) {
      const exists = await prisma.disruption.findUnique({ where: { id } });
      if (!exists) throw new AppError("not_found", "no disruption with that id");
      throw new AppError("conflict", "no approval is pending for this disruption (already decided or expired)");
    }
    // The waiting workflow continues as soon as the engine has the decision.
    await deps.inngest.send({
      id: `approval:${decided.id}`,
      name: "makegood/approval.decided",
      data: { disruptionId: id, approvalId: decided.id, decision: body.decision, note: body.note ?? null, by },
    });
    return c.json({ approvalId: decided.id, status: decided.status });
  });

  api.get("/messages", read, async (c) => {
    const q = parse(MessagesQuery, c.req.query());
    const messages = await prisma.message.findMany({
      where: { disruptionId: q.disruptionId, channel: q.channel, status: q.status },
      orderBy: { createdAt: "desc" },
      take: q.limit,
    });
    return c.json({ messages });
  });

  api.get("/metrics", read, async (c) => {
    const q = parse(MetricsQuery, c.req.query());
    const range = { gte: q.from ? new Date(q.from) : undefined, lte: q.to ? new Date(q.to) : undefined };
    const [disruptions, grants, pendingApprovals, deliveryFailures] = await Promise.all([
      prisma.disruption.findMany({ where: { detectedAt: range, status: { not: "superseded" } } }),
      prisma.gestureGrant.findMany({ where: { createdAt: range, status: "granted" } }),
      prisma.approval.findMany({ where: { status: "pending" } }),
      prisma.message.count({ where: { createdAt: range, status: "failed" } }),
    ]);
    const metrics = trustMetrics({
      disruptions,
      grants: grants.map((g) => ({ kind: g.kind, currency: g.currency, value: Number(g.value) })),
      pendingApprovals,
      deliveryFailures,
      now: deps.now(),
    });
    return c.json({ from: q.from ?? null, to: q.to ?? null, ...metrics });
  });

  return api;
}
