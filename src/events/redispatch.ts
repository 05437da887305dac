import type { PrismaClient } from "../db/generated/node/client.ts";
import type { Logger } from "../engine/types.ts";
import type { MakegoodInngest } from "../inngest/client.ts";
import { OpsEvent } from "./schemas.ts";
import { signalEventsFor } from "./signals.ts";

/** Parameters per query stay under D1's limit of 100. */
const CHUNK = 90;

/**
 * How often the hand-over runs: on Node a timer in the process (`src/node-runtime.ts`), on Workers
 * the Cron Trigger `* * * * *` (`wrangler.toml`, `src/workers/scheduled.ts`).
 */
export const REDISPATCH_EVERY_MS = 60_000;
/** Events younger than this are left alone: their request may still be handing them over. */
export const REDISPATCH_GRACE_MS = 30_000;

export interface RedispatchDeps {
  prisma: PrismaClient;
  inngest: MakegoodInngest;
  now: () => Date;
  logger: Logger;
}

/**
 * Accepted events whose hand-off to the engine never completed (the process died between
 * storing and sending, or the engine was unreachable and the client never retried) are sent
 * by the server itself. Only events received more than `graceMs` ago are taken, so a request
 * still on its way is left alone; the signal ids derive from the sender's ids, so the engine
 * drops anything it already has and each event is handled once. Returns how many were sent.
 */
export async function redispatchStranded(deps: RedispatchDeps, graceMs: number): Promise<number> {
  const before = new Date(deps.now().getTime() - graceMs);
  let sent = 0;
  for (;;) {
    const stranded = await deps.prisma.inboundEvent.findMany({
      where: { dispatchedAt: null, receivedAt: { lte: before } },
      orderBy: { receivedAt: "asc" },
      select: { id: true, body: true },
      take: CHUNK,
    });
    if (stranded.length === 0) return sent;
    // Stored bodies passed the event schema when they were accepted; one that no longer does is
    // reported and set aside rather than tried forever.
    const events = stranded.flatMap((row) => {
      const parsed = OpsEvent.safeParse(JSON.parse(row.body));
      if (parsed.success) return [parsed.data];
      deps.logger.error("a stored event no longer parses; it was not handed to the engine", { id: row.id });
      return [];
    });
    if (events.length) await deps.inngest.send(signalEventsFor(events));
    await deps.prisma.inboundEvent.updateMany({
      where: { id: { in: stranded.map((row) => row.id) }, dispatchedAt: null },
      data: { dispatchedAt: deps.now() },
    });
    sent += stranded.length;
    deps.logger.warn("accepted events handed to the engine again", { ids: stranded.map((row) => row.id) });
  }
}
