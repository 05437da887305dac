import type { Customer, Prisma, PrismaClient } from "../db/generated/node/client.ts";
import type { CustomerInput, OpsEvent } from "./schemas.ts";

/**
 * Customers as the API shows them (API.md) ↔ the `Customer` table. The one
 * place that knows `consent: {email, sms}` is two columns and `accountLead`
 * is two more.
 */

export interface CustomerView {
  id: string;
  name: string;
  email?: string;
  phone?: string;
  locale: string;
  timeZone: string;
  tier: string;
  preferredChannel: string;
  consent: { email: boolean; sms: boolean };
  accountLead?: { name: string; email: string };
  /** Set when the customer texted STOP; a PUT does not clear it. */
  smsOptedOut: boolean;
  /** Set when the customer marked one of our emails as spam; a PUT does not clear it. */
  emailSuppressed: boolean;
  /** When their personal data was erased (DELETE /api/customers/{id}); absent if never, or stored again since. */
  erasedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** The columns a PUT (or an embedded `customer`) replaces. `smsOptedOut` is not one: STOP is sticky. */
export function customerColumns(input: CustomerInput) {
  return {
    name: input.name,
    email: input.email,
    phone: input.phone ?? null,
    locale: input.locale,
    timeZone: input.timeZone,
    tier: input.tier,
    preferredChannel: input.preferredChannel,
    consentEmail: input.consent.email,
    consentSms: input.consent.sms,
    accountLeadName: input.accountLead?.name ?? null,
    accountLeadEmail: input.accountLead?.email ?? null,
    // A record sent after an erasure is new data, given by its owner: the customer is reachable again.
    erasedAt: null,
  } satisfies Prisma.CustomerUpdateInput;
}

export function customerView(row: Customer): CustomerView {
  return {
    id: row.id,
    name: row.name,
    ...(row.email !== null ? { email: row.email } : {}),
    ...(row.phone !== null ? { phone: row.phone } : {}),
    locale: row.locale,
    timeZone: row.timeZone,
    tier: row.tier,
    preferredChannel: row.preferredChannel,
    consent: { email: row.consentEmail, sms: row.consentSms },
    ...(row.accountLeadName !== null && row.accountLeadEmail !== null
      ? { accountLead: { name: row.accountLeadName, email: row.accountLeadEmail } }
      : {}),
    smsOptedOut: row.smsOptedOut,
    emailSuppressed: row.emailSuppressedAt !== null,
    ...(row.erasedAt ? { erasedAt: row.erasedAt.toISOString() } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Create-or-replace, as a Prisma operation that can join a batch transaction. */
export function upsertCustomer(prisma: PrismaClient, id: string, input: CustomerInput) {
  const columns = customerColumns(input);
  return prisma.customer.upsert({ where: { id }, create: { id, ...columns }, update: columns });
}

/**
 * The customers an event carries with it: `customer` next to `data.customerId`,
 * and `customer` on each flight booking next to its `customerId`. In event
 * order; a later copy of the same customer wins.
 */
export function embeddedCustomers(event: OpsEvent): { id: string; input: CustomerInput }[] {
  const found: { id: string; input: CustomerInput }[] = [];
  if ("customer" in event && event.customer && "customerId" in event.data) {
    found.push({ id: event.data.customerId, input: event.customer });
  }
  if (event.type === "flight.status_changed") {
    for (const booking of event.data.bookings) {
      if (booking.customer) found.push({ id: booking.customerId, input: booking.customer });
    }
  }
  return found;
}

export interface DisruptionSummary {
  id: string;
  kind: string;
  status: string;
  severity: string;
  detectedAt: string;
  firstMessageAt: string | null;
}

/** How much history `GET /api/customers/{id}` returns, newest first. */
export const DISRUPTION_HISTORY_LIMIT = 200;

export async function disruptionHistory(prisma: PrismaClient, customerId: string): Promise<DisruptionSummary[]> {
  const rows = await prisma.disruption.findMany({
    where: { customerId },
    orderBy: [{ detectedAt: "desc" }, { id: "desc" }],
    take: DISRUPTION_HISTORY_LIMIT,
    select: { id: true, kind: true, status: true, severity: true, detectedAt: true, firstMessageAt: true },
  });
  return rows.map((d) => ({
    ...d,
    detectedAt: d.detectedAt.toISOString(),
    firstMessageAt: d.firstMessageAt?.toISOString() ?? null,
  }));
}
