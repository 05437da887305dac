/**
 * Erasing one customer's personal data (DELETE /api/customers/{id}, the dashboard's erase action).
 *
 * What goes: the customer's name, email and phone (and their account lead's), every message's
 * recipient and content, their outbox rows, delivery report details, complaint texts, and every
 * mention of their name, address or number in timeline lines, disruption facts, approval notes,
 * signal issues, audit details and the accepted events' payloads. What stays, anonymised: the
 * customer row (its id, tier, locale), disruptions, grants, approvals and messages with their
 * channel, purpose, status and timestamps — everything the trust metrics count.
 *
 * Batch writes only (D1 has no interactive transaction), every statement under D1's 100 bound
 * parameters. Idempotent: erasing again finds nothing left to erase and answers the same way.
 */
import canonicalize from "canonicalize";
import type { PrismaClient } from "../db/generated/node/client.ts";
import { customerEvents } from "./customer-events.ts";
import { chunked, MAX_PARAMS, scrubSql } from "./sql.ts";

export const ERASED = "[erased]";

export interface ErasureReport {
  customerId: string;
  erasedAt: string;
  /** true when the customer had been erased before (nothing personal was left). */
  alreadyErased: boolean;
  /** Rows changed per table by this erasure. */
  changed: Record<string, number>;
}

/** The customer's identifying strings, as found in text and in JSON text (escaped); short ones are left out. */
export function personalTerms(values: Array<string | null | undefined>): string[] {
  const terms = new Set<string>();
  for (const value of values) {
    const v = value?.trim();
    if (!v || v.length < 3 || v === ERASED) continue;
    terms.add(v);
    terms.add(JSON.stringify(v).slice(1, -1));
  }
  // Longest first, so "Ada Lovelace" goes before a shorter term inside it.
  return [...terms].sort((a, b) => b.length - a.length);
}

/**
 * A store outside makegood's database that holds copies of what it was sent: the embedded engine's
 * run history (event payloads, step results). Its rows changed are reported under their table names.
 */
export interface ErasableStore {
  redact(terms: string[], replacement: string): Record<string, number>;
}

/** null when there is no such customer. */
export async function eraseCustomer(
  prisma: PrismaClient,
  id: string,
  now: Date,
  opts: { engine?: ErasableStore } = {},
): Promise<ErasureReport | null> {
  const customer = await prisma.customer.findUnique({ where: { id } });
  if (!customer) return null;
  const messages = await prisma.message.findMany({
    where: { customerId: id },
    select: { recipient: true, idempotencyKey: true },
  });
  const recipients = [...new Set(messages.map((m) => m.recipient))];
  const terms = personalTerms([customer.name, customer.email, customer.phone, ...recipients]);
  // Name, address and number are what identify them in other rows; the account lead's are the firm's.
  const exact = [customer.email, customer.phone, ...recipients].filter(
    (v): v is string => typeof v === "string" && v.length > 0 && v !== ERASED,
  );

  const disruptionsOf = `SELECT "id" FROM "Disruption" WHERE "customerId" = ?`;
  const statements: Array<{ table: string; run: () => ReturnType<PrismaClient["$executeRawUnsafe"]> }> = [];
  const add = (table: string, sql: string, params: unknown[]) => {
    if (params.length > MAX_PARAMS) throw new Error(`${table}: ${params.length} parameters in one statement`);
    statements.push({ table, run: () => prisma.$executeRawUnsafe(sql, ...params) });
  };

  // Work in flight stops: what was composed but not sent is not sent.
  add(
    "Message",
    `UPDATE "Message" SET "status" = 'skipped', "error" = 'erased' WHERE "customerId" = ? AND "status" IN ('queued', 'deferred')`,
    [id],
  );
  add(
    "Message",
    `UPDATE "Message" SET "recipient" = '${ERASED}', "subject" = NULL, "html" = NULL, "text" = NULL, "body" = NULL
     WHERE "customerId" = ? AND ("recipient" <> '${ERASED}' OR "subject" IS NOT NULL OR "html" IS NOT NULL
       OR "text" IS NOT NULL OR "body" IS NOT NULL)`,
    [id],
  );
  add(
    "DeliveryEvent",
    `UPDATE "DeliveryEvent" SET "detail" = NULL WHERE "detail" IS NOT NULL AND "messageId" IN (SELECT "id" FROM "Message" WHERE "customerId" = ?)`,
    [id],
  );
  add("Complaint", `UPDATE "Complaint" SET "text" = NULL WHERE "customerId" = ? AND "text" IS NOT NULL`, [id]);
  add(
    "SignalIssue",
    // A held booking of theirs is never released now: the hold ends at the erasure.
    `UPDATE "SignalIssue" SET "heldUntil" = ? WHERE "customerId" = ? AND "releasedAt" IS NULL AND "heldUntil" > ?`,
    [now, id, now],
  );
  // Mentions in free text, scoped to their own rows (a short name must not touch anyone else's).
  for (const group of chunked(terms, 8)) {
    const scrub = scrubSql(group, ERASED);
    const scoped = (table: string, columns: string[], where: string, whereParams: unknown[]) =>
      add(
        table,
        `UPDATE "${table}" SET ${columns.map((c) => `"${c}" = ${scrub.expr(`"${c}"`)}`).join(", ")}
         WHERE (${where}) AND (${columns.map((c) => scrub.matches(`"${c}"`)).join(" OR ")})`,
        [...columns.flatMap(() => group), ...whereParams, ...columns.flatMap(() => group)],
      );
    scoped("TimelineEntry", ["summary", "reason", "data"], `"disruptionId" IN (${disruptionsOf})`, [id]);
    scoped("Disruption", ["facts", "resolution", "reason"], `"customerId" = ?`, [id]);
    scoped("Approval", ["note"], `"disruptionId" IN (${disruptionsOf})`, [id]);
    scoped("SignalIssue", ["detail", "releaseOutcome"], `"customerId" = ?`, [id]);
    scoped("Message", ["error"], `"customerId" = ?`, [id]);
    scoped("AuditLog", ["detail"], `"target" = ? OR "target" IN (${disruptionsOf})`, [id, id]);
  }
  // The outbox holds what was "sent": theirs by address, and every message of theirs by its key.
  for (const group of chunked(exact, MAX_PARAMS - 10))
    add("OutboxEntry", `DELETE FROM "OutboxEntry" WHERE "recipient" IN (${group.map(() => "?").join(", ")})`, group);
  const keys = messages.map((m) => m.idempotencyKey);
  // The account lead's task about them is keyed by the run (`<run>:task:account-lead`).
  const runs = [...new Set(keys.map((k) => k.split(":")[0]).filter(Boolean))].map((r) => `${r}:task:account-lead`);
  for (const group of chunked([...keys, ...runs], MAX_PARAMS - 10))
    add(
      "OutboxEntry",
      `DELETE FROM "OutboxEntry" WHERE "idempotencyKey" IN (${group.map(() => "?").join(", ")})`,
      group,
    );

  // Accepted events that carry them: rewritten in JS (precise on JSON), written back in the same batch.
  const events = await customerEvents(prisma, id, exact);
  for (const e of events) {
    const body = scrubEventBody(e.body, id, exact, customer.name);
    if (body !== e.body) add("InboundEvent", `UPDATE "InboundEvent" SET "body" = ? WHERE "id" = ?`, [body, e.id]);
  }

  const erasedAt = customer.erasedAt ?? now;
  const customerUpdate = prisma.customer.update({
    where: { id },
    data: {
      name: ERASED,
      email: null,
      phone: null,
      accountLeadName: null,
      accountLeadEmail: null,
      consentEmail: false,
      consentSms: false,
      erasedAt,
    },
  });
  // The engine's copies first: if that fails, nothing here has changed and a retry finds every term again.
  // Besides who they are, what they wrote: their complaints' texts, as the Complaint rows lose them below.
  const complaints = opts.engine
    ? await prisma.complaint.findMany({ where: { customerId: id, text: { not: null } }, select: { text: true } })
    : [];
  // personalTerms again for the order: longest first, so a complaint that names them goes whole.
  const engineTerms = personalTerms([...terms, ...complaints.map((c) => c.text)]);
  const engineChanged = opts.engine ? opts.engine.redact(engineTerms, ERASED) : {};
  const results = await prisma.$transaction([...statements.map((s) => s.run()), customerUpdate]);
  const changed: Record<string, number> = {};
  statements.forEach((s, i) => {
    changed[s.table] = (changed[s.table] ?? 0) + Number(results[i] ?? 0);
  });
  Object.assign(changed, engineChanged);
  return { customerId: id, erasedAt: erasedAt.toISOString(), alreadyErased: customer.erasedAt !== null, changed };
}

/**
 * One accepted event's canonical JSON with this customer's data taken out: their embedded
 * `customer` record (name, email, phone, account lead), their complaint's text, and their
 * address or number wherever it appears. Other customers in the same event (a flight's other
 * passengers) are left as they were. Still a valid event for the schema's shape.
 */
export function scrubEventBody(body: string, customerId: string, exact: string[], name: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  const replaceExact = (s: string) => exact.reduce((acc, term) => acc.split(term).join(ERASED), s);
  const walk = (value: unknown, theirs: boolean, root = false): unknown => {
    if (typeof value === "string") {
      const out = replaceExact(value);
      return theirs && name.length >= 3 && name !== ERASED ? out.split(name).join(ERASED) : out;
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, theirs));
    if (!value || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    // Theirs: an object naming their id (a booking, an order's data), or the event whose data does.
    const data = obj.data as Record<string, unknown> | undefined;
    const mine = theirs || obj.customerId === customerId || (root && data?.customerId === customerId);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (mine && k === "customer" && v && typeof v === "object") {
        const { name: _n, email: _e, phone: _p, accountLead: _a, ...rest } = v as Record<string, unknown>;
        out[k] = { ...rest, name: ERASED };
      } else if (mine && k === "text" && "channel" in obj) {
        // a complaint's own words: dropped
      } else out[k] = walk(v, mine);
    }
    return out;
  };
  return canonicalize(walk(parsed, false, true)) ?? body;
}
