import { createEventSchemas, type FieldIssue } from "../../../src/events/schemas.ts";

/** A fixed clock so "far in the future" tests do not depend on when they run. */
export const NOW = new Date("2025-03-01T12:00:00Z");
export const schemas = createEventSchemas({ now: () => NOW });

export const customer = () => ({
  name: "Ada Lovelace",
  email: "ada@example.com",
  phone: "+447911123456",
  locale: "en-GB",
  timeZone: "Europe/London",
  tier: "valued",
  preferredChannel: "both",
  consent: { email: true, sms: true },
  accountLead: { name: "Sarah Chen", email: "sarah@firm.example" },
});

export const etaUpdated = () => ({
  id: "evt-eta-1",
  type: "shipment.eta_updated",
  occurredAt: "2025-03-01T09:30:00+01:00",
  data: {
    orderId: "ord-1001",
    customerId: "cus-ada",
    promisedBy: "2025-03-02T18:00:00Z",
    newEta: "2025-03-04T18:00:00Z",
    carrier: "Parcelco",
    reason: "Sorting hub closed by snow",
    trackingUrl: "https://track.example/ord-1001",
    important: true,
    items: [{ sku: "SKU-1", name: "Birthday cake stand" }],
    orderValue: { amount: 120.5, currency: "GBP" },
  },
  customer: customer(),
});

export const flightChanged = () => ({
  id: "evt-flt-1",
  type: "flight.status_changed",
  occurredAt: "2025-03-01T11:00:00Z",
  data: {
    flightNumber: "BA123",
    date: "2025-03-01",
    status: "cancelled",
    reason: "crew shortage",
    bookings: [
      {
        bookingRef: "ABC123",
        customerId: "cus-ada",
        currency: "EUR",
        rebookedFlight: { flightNumber: "BA125", departsAt: "2025-03-01T18:00:00Z" },
      },
      { bookingRef: "XYZ789", customerId: "cus-bob" },
    ],
  },
});

export const qaFailed = () => ({
  id: "evt-qa-1",
  type: "deliverable.qa_failed",
  occurredAt: "2025-03-01T10:00:00Z",
  data: {
    deliverableId: "dlv-42",
    customerId: "cus-firm",
    title: "Q4 market report",
    deliveredAt: "2025-02-27T16:00:00Z",
    issues: [{ summary: "Revenue table double-counts EMEA", severity: "major" }],
  },
});

export const complaint = () => ({
  id: "evt-cmp-1",
  type: "customer.complaint_received",
  occurredAt: "2025-03-01T10:00:00Z",
  data: {
    customerId: "cus-ada",
    reference: "ord-1001",
    channel: "email",
    receivedAt: "2025-03-01T09:58:00Z",
    text: "Where is my parcel?\nIt was promised for Sunday.",
  },
});

export const delivered = () => ({
  id: "evt-dlv-1",
  type: "shipment.delivered",
  occurredAt: "2025-03-01T10:00:00Z",
  data: { orderId: "ord-1001", deliveredAt: "2025-03-01T09:55:00Z" },
});

export const corrected = () => ({
  id: "evt-cor-1",
  type: "deliverable.corrected",
  occurredAt: "2025-03-01T10:00:00Z",
  data: { deliverableId: "dlv-42", correctedAt: "2025-03-01T09:00:00Z", note: "Table fixed.\nRe-sent to client." },
});

/** The issues for a body, or [] when it parses. */
export function issuesOf(body: unknown): FieldIssue[] {
  const result = schemas.parseEventsBody(body);
  return result.ok ? [] : result.issues;
}

export const fieldsOf = (body: unknown): string[] => issuesOf(body).map((i) => i.field);
