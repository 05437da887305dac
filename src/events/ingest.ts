import canonicalize from "canonicalize";
import type { PrismaClient } from "../db/generated/node/client.ts";
import { sha256Hex } from "../hash.ts";
import { isTransientDatabaseError, isUniqueViolation, unavailable } from "../http/database-errors.ts";
import { AppError } from "../http/errors.ts";
import type { MakegoodInngest } from "../inngest/client.ts";
import { type Classified, classify, type Fingerprinted, type StoredFingerprint } from "./classify.ts";
import { embeddedCustomers, upsertCustomer } from "./customers.ts";
import type { CustomerInput, OpsEvent } from "./schemas.ts";
import { signalEventsFor } from "./signals.ts";

/**
 * `POST /api/events` after validation: dedupe, store, hand to the engine.
 *
 * 1. Fingerprint every event (SHA-256 of its canonical JSON).
 * 2. Sort them against stored events; any conflict → 409 and nothing changes.
 * 3. New events, and the customers they carry, are written in ONE transaction.
 * 4. New events, and stored duplicates never dispatched, go to the engine
 *    (several together as one batch event, decided in one run; ids derived
 *    from the sender's, so a re-send is dropped there), then are marked
 *    dispatched. Customers they carry are named in the signal, which releases
 *    what was held for them once the event itself is decided. If the engine
 *    is unreachable → 503; the rows stay and the client's retry sends them.
 */

export interface IngestDeps {
  prisma: PrismaClient;
  inngest: MakegoodInngest;
  now: () => Date;
}

export interface IncomingEvent {
  event: OpsEvent;
  /** The event as sent (parsed JSON): what "the same body" means. */
  raw: unknown;
  /** `events[3]` in a batch, "" for a single event. */
  at: string;
}

export interface IngestResult {
  accepted: string[];
  duplicates: string[];
}

interface Prepared extends Fingerprinted {
  event: OpsEvent;
  body: string;
}

/** Parameters per query stay under D1's limit of 100. */
const LOOKUP_CHUNK = 90;
/** Concurrent first copies of one id race to insert; the losers look again and see a duplicate. */
const MAX_INSERT_ATTEMPTS = 3;

/** Canonical JSON (RFC 8785) of the event as sent, and its SHA-256: key order and spacing do not matter. */
export async function fingerprint(raw: unknown): Promise<{ body: string; hash: string }> {
  const body = canonicalize(raw) ?? "null";
  return { body, hash: sha256Hex(body) };
}

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function storedFingerprints(prisma: PrismaClient, ids: string[]): Promise<Map<string, StoredFingerprint>> {
  const found = new Map<string, StoredFingerprint>();
  for (const chunk of chunks([...new Set(ids)], LOOKUP_CHUNK)) {
    const rows = await prisma.inboundEvent.findMany({
      where: { id: { in: chunk } },
      select: { id: true, bodyHash: true, dispatchedAt: true },
    });
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

function conflictError(conflicts: Prepared[]): AppError {
  const ids = [...new Set(conflicts.map((c) => c.id))];
  const shown = ids.slice(0, 20).map((id) => JSON.stringify(id));
  const more = ids.length > shown.length ? ` and ${ids.length - shown.length} more` : "";
  return new AppError(
    "conflict",
    `event id${ids.length === 1 ? "" : "s"} ${shown.join(", ")}${more} already used for an event with a different body; nothing in this request was stored`,
    conflicts.map((c) => ({
      field: c.at ? `${c.at}.id` : "id",
      message: `the id ${JSON.stringify(c.id)} was already used for an event with a different body`,
    })),
  );
}

async function storeFresh(deps: IngestDeps, fresh: Prepared[]): Promise<void> {
  if (fresh.length === 0) return;
  const customers = new Map<string, CustomerInput>();
  for (const { event } of fresh) for (const c of embeddedCustomers(event)) customers.set(c.id, c.input);
  const receivedAt = deps.now();
  await deps.prisma.$transaction([
    ...[...customers].map(([id, input]) => upsertCustomer(deps.prisma, id, input)),
    deps.prisma.inboundEvent.createMany({
      data: fresh.map(({ event, hash, body }) => ({
        id: event.id,
        type: event.type,
        bodyHash: hash,
        body,
        occurredAt: new Date(event.occurredAt),
        receivedAt,
      })),
    }),
  ]);
}

/** Classify and store, retrying when a concurrent request inserted one of our ids first. */
async function classifyAndStore(deps: IngestDeps, prepared: Prepared[]): Promise<Classified<Prepared>> {
  for (let attempt = 1; ; attempt++) {
    const plan = classify(
      prepared,
      await storedFingerprints(
        deps.prisma,
        prepared.map((p) => p.id),
      ),
    );
    if (plan.conflicts.length > 0) throw conflictError(plan.conflicts);
    try {
      await storeFresh(deps, plan.fresh);
      return plan;
    } catch (error) {
      if (isUniqueViolation(error) && attempt < MAX_INSERT_ATTEMPTS) continue;
      if (isTransientDatabaseError(error)) {
        throw unavailable("the events could not be stored right now; nothing was accepted, retry the same request");
      }
      throw error;
    }
  }
}

async function dispatch(deps: IngestDeps, events: Prepared[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await deps.inngest.send(signalEventsFor(events.map((p) => p.event)));
  } catch {
    throw unavailable(
      "the events were stored but the recovery engine is unreachable; retry the same request (repeats are safe)",
    );
  }
  try {
    const at = deps.now();
    for (const chunk of chunks(
      events.map((p) => p.id),
      LOOKUP_CHUNK,
    )) {
      await deps.prisma.inboundEvent.updateMany({
        where: { id: { in: chunk }, dispatchedAt: null },
        data: { dispatchedAt: at },
      });
    }
  } catch {
    throw unavailable("the events were handed to the engine but could not be marked; retry the same request");
  }
}

export async function ingestEvents(deps: IngestDeps, incoming: IncomingEvent[]): Promise<IngestResult> {
  const prepared: Prepared[] = await Promise.all(
    incoming.map(async ({ event, raw, at }) => ({ id: event.id, at, event, ...(await fingerprint(raw)) })),
  );
  const plan = await classifyAndStore(deps, prepared);
  await dispatch(deps, [...plan.fresh, ...plan.undispatched]);
  return { accepted: plan.fresh.map((p) => p.id), duplicates: plan.duplicates.map((p) => p.id) };
}
