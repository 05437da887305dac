import type { PrismaClient } from "../db/generated/node/client.ts";
import { type IgnoredPart, parseStoredOutcome } from "../recovery/outcome.ts";
import { issueId, supersededBy } from "../recovery/signal-issues.ts";

/**
 * `GET /api/events/{id}`: what an accepted event did. "pending" until the
 * engine has decided it; then the disruptions it opened, updated, resolved or
 * superseded, and every part it did not act on with a reason. A part held for
 * an unknown customer says whether it is still held, was released (and what
 * that opened), was superseded by a later event about the same subject, or expired.
 */

export type HoldStatus = "held" | "released" | "superseded" | "expired";

export interface HoldView {
  status: HoldStatus;
  until: string;
  releasedAt?: string;
  /** superseded: the later event about the same subject whose news replaced the held one. */
  supersededBy?: string;
  /** What the release opened or updated. */
  opened?: string[];
  updated?: string[];
}

export type IgnoredPartView = Omit<IgnoredPart, "heldUntil"> & { hold?: HoldView };

export interface EventOutcomeView {
  id: string;
  type: string;
  occurredAt: string;
  receivedAt: string;
  status: "pending" | "processed";
  outcome: {
    opened: string[];
    updated: string[];
    resolved: string[];
    superseded: string[];
    ignored: IgnoredPartView[];
  } | null;
}

export async function eventOutcome(prisma: PrismaClient, id: string, now: Date): Promise<EventOutcomeView | null> {
  const row = await prisma.inboundEvent.findUnique({
    where: { id },
    select: { id: true, type: true, occurredAt: true, receivedAt: true, outcome: true },
  });
  if (!row) return null;
  const base = {
    id: row.id,
    type: row.type,
    occurredAt: row.occurredAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
  };
  if (!row.outcome) return { ...base, status: "pending", outcome: null };
  const outcome = parseStoredOutcome(row.outcome);
  const holds = outcome.ignored.some((p) => p.heldUntil)
    ? await prisma.signalIssue.findMany({
        where: { eventId: id, reason: "unknown_customer" },
        select: { id: true, heldUntil: true, releasedAt: true, releaseOutcome: true },
      })
    : [];
  const byId = new Map(holds.map((h) => [h.id, h]));
  const ignored = outcome.ignored.map(({ heldUntil, ...part }): IgnoredPartView => {
    if (!heldUntil) return part;
    const hold = byId.get(issueId(id, { ...part, heldUntil }));
    const newer = supersededBy(hold?.releaseOutcome ?? null);
    if (hold?.releasedAt && newer) {
      return {
        ...part,
        hold: {
          status: "superseded",
          until: heldUntil,
          releasedAt: hold.releasedAt.toISOString(),
          supersededBy: newer,
        },
      };
    }
    if (hold?.releasedAt) {
      const released = hold.releaseOutcome ? parseStoredOutcome(hold.releaseOutcome) : undefined;
      return {
        ...part,
        hold: {
          status: "released",
          until: heldUntil,
          releasedAt: hold.releasedAt.toISOString(),
          opened: released?.opened ?? [],
          updated: released?.updated ?? [],
        },
      };
    }
    return { ...part, hold: { status: Date.parse(heldUntil) < now.getTime() ? "expired" : "held", until: heldUntil } };
  });
  return { ...base, status: "processed", outcome: { ...outcome, ignored } };
}
