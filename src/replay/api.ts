/**
 * `/api/replay/…` (scope `read`): the same replays as the dashboard's, as JSON. Pure reads — a
 * policy replay is a POST only because the change it replays is a body; nothing is stored.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { ApiKeyStore } from "../auth/api-keys.ts";
import { type AuthVariables, requireScope } from "../auth/middleware.ts";
import type { PrismaClient } from "../db/generated/node/client.ts";
import { formatIssues } from "../events/issues.ts";
import { AppError, validationFailed } from "../http/errors.ts";
import { parseTemplateKey } from "../templates/studio.ts";
import { REPLAY_DAYS } from "./load.ts";
import { type PolicyWorld, spendChange } from "./policy.ts";
import { runPolicyReplay, runTemplateReplay } from "./run.ts";

export interface ReplayApiDeps {
  prisma: PrismaClient;
  apiKeys: ApiKeyStore;
  now: () => Date;
}

const Days = z.coerce
  .number()
  .int()
  .refine((n) => (REPLAY_DAYS as readonly number[]).includes(n), `one of ${REPLAY_DAYS.join(", ")}`)
  .default(30);
export const TemplateReplayQuery = z.strictObject({ days: Days });
const money = z.number().min(0).max(1_000_000);
export const PolicyChange = z.strictObject({
  days: Days,
  /** policies changed (by id, only the fields given) */
  policies: z
    .array(
      z.strictObject({
        id: z.string().max(100),
        gestureId: z.string().max(64).optional(),
        fallbackGestureId: z.string().max(64).nullable().optional(),
        approvalLimit: money.optional(),
      }),
    )
    .max(50)
    .default([]),
  budgets: z
    .array(
      z.strictObject({
        period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
        limit: money,
        currency: z.string().regex(/^[A-Z]{3}$/),
      }),
    )
    .max(24)
    .default([]),
  gestureCapPer30Days: z.number().int().min(0).max(1000).optional(),
});
export type PolicyChange = z.output<typeof PolicyChange>;

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationFailed("the request", formatIssues(result.error));
}

/** The world a change describes, from the world in force. */
export function applyChange(change: PolicyChange): (world: PolicyWorld) => PolicyWorld {
  return (world) => {
    const byId = new Map(change.policies.map((p) => [p.id, p]));
    const budgets = new Map(world.budgets);
    for (const b of change.budgets) budgets.set(b.period, { limit: b.limit, currency: b.currency });
    return {
      ...world,
      policies: world.policies.map((p) => {
        const { id: _id, ...fields } = byId.get(p.id) ?? { id: p.id };
        return { ...p, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
      }),
      budgets,
      capPer30Days: change.gestureCapPer30Days ?? world.capPer30Days,
    };
  };
}

export function replayRoutes(deps: ReplayApiDeps): Hono<{ Variables: AuthVariables }> {
  const api = new Hono<{ Variables: AuthVariables }>();
  const read = requireScope(deps.apiKeys, "read");

  api.get("/replay/templates/:kind/:channel/:locale/:version", read, async (c) => {
    const key = parseTemplateKey(c.req.param("kind"), c.req.param("channel"), c.req.param("locale"));
    const version = Number(c.req.param("version"));
    if (!key || !Number.isInteger(version) || version < 1) throw new AppError("not_found", "no such template version");
    const q = parse(TemplateReplayQuery, c.req.query());
    const run = await runTemplateReplay(deps.prisma, key, version, deps.now(), q.days);
    if (!run) throw new AppError("not_found", "no such template version");
    return c.json({
      template: { ...key, version, status: run.version.status },
      comparedWith: run.comparedWith ?? "bundled default",
      window: run.window,
      ...run.replay,
    });
  });

  api.post("/replay/policies", read, async (c) => {
    const change = parse(PolicyChange, await c.req.json().catch(() => undefined));
    const known = new Set((await deps.prisma.gesturePolicy.findMany({ select: { id: true } })).map((p) => p.id));
    const unknown = change.policies.filter((p) => !known.has(p.id));
    if (unknown.length)
      throw validationFailed(
        "the request",
        unknown.map((p) => ({ field: "policies", message: `no policy "${p.id}"` })),
      );
    const { window, replay } = await runPolicyReplay(deps.prisma, deps.now(), change.days, applyChange(change));
    return c.json({
      window,
      ...replay,
      spendChange: spendChange(replay),
      autoSpendChange: spendChange(replay, "autoSpend"),
    });
  });
  return api;
}
