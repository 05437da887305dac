import type { PrismaClient } from "../db/generated/node/client.ts";
import { customerView } from "../events/customers.ts";
import { DELIVERY_HISTORY } from "../recovery/queries.ts";
import { customerEvents } from "./customer-events.ts";

const json = (text: string | null) => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/**
 * Everything makegood holds about one customer, as one JSON document (GET /api/customers/{id}/export):
 * their record, every disruption with its timeline, gestures and approvals, every message as sent
 * with its delivery reports, their complaints, the parts of events held for them, and the accepted
 * events that carry them. null when there is no such customer.
 */
export async function exportCustomer(prisma: PrismaClient, id: string, now: Date) {
  const customer = await prisma.customer.findUnique({ where: { id } });
  if (!customer) return null;
  const [disruptions, messages, complaints, signalIssues] = await Promise.all([
    prisma.disruption.findMany({
      where: { customerId: id },
      orderBy: [{ detectedAt: "asc" }, { id: "asc" }],
      include: {
        timeline: { orderBy: { at: "asc" } },
        grants: { orderBy: { createdAt: "asc" } },
        approvals: { orderBy: { requestedAt: "asc" } },
      },
    }),
    prisma.message.findMany({
      where: { customerId: id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: DELIVERY_HISTORY,
    }),
    prisma.complaint.findMany({ where: { customerId: id }, orderBy: { receivedAt: "asc" } }),
    prisma.signalIssue.findMany({ where: { customerId: id }, orderBy: { createdAt: "asc" } }),
  ]);
  const exact = [customer.email, customer.phone, ...new Set(messages.map((m) => m.recipient))].filter(
    (v): v is string => typeof v === "string" && v.length > 0,
  );
  const events = await customerEvents(prisma, id, exact);
  return {
    exportedAt: now.toISOString(),
    customer: customerView(customer),
    disruptions: disruptions.map((d) => ({
      ...d,
      facts: json(d.facts),
      resolution: json(d.resolution),
      timeline: d.timeline.map((t) => ({ ...t, data: json(t.data) })),
      grants: d.grants.map((g) => ({ ...g, value: Number(g.value) })),
    })),
    messages,
    complaints,
    signalIssues: signalIssues.map((s) => ({ ...s, releaseOutcome: json(s.releaseOutcome) })),
    events: events.map((e) => ({ id: e.id, type: e.type, receivedAt: e.receivedAt.toISOString(), body: json(e.body) })),
  };
}
