import { z } from "zod";
import { CustomerInput } from "./customer.ts";
import { eventDataSchemas } from "./data.ts";
import { DEFAULT_MAX_FUTURE_MS, pastInstant } from "./fields.ts";
import { type FieldIssue, formatIssues } from "./issues.ts";
import { identifier, rejectForbiddenKeys } from "./safe-text.ts";

/**
 * The events ops systems send (`POST /api/events`, the Inngest event API):
 * one envelope `{ id, type, occurredAt, data, customer? }`, discriminated on
 * `type`. These schemas are the single source of truth: the HTTP route
 * validates with them, Inngest functions type their payloads from them.
 *
 * "Now" is injectable (`createEventSchemas({ now })`) because occurredAt and
 * the "already happened" instants in data may not be more than 24 h ahead.
 */

export * from "./customer.ts";
export { FLIGHT_STATUSES, ISSUE_SEVERITIES, LIMITS } from "./data.ts";
export * from "./fields.ts";
export * from "./issues.ts";
export * from "./money.ts";
export * from "./safe-text.ts";

export const EVENT_TYPES = [
  "shipment.eta_updated",
  "shipment.delivered",
  "flight.status_changed",
  "deliverable.qa_failed",
  "deliverable.corrected",
  "customer.complaint_received",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_EVENT_ID_LENGTH = 256;

/** The sender's unique id for an event (dedupe key): 1..256 characters, no control characters. */
export const EventId = identifier(MAX_EVENT_ID_LENGTH);

export interface EventSchemaOptions {
  /** The clock used for "not in the future" checks; read at parse time. */
  now?: () => Date;
  /** How far ahead of `now` a timestamp may be (clock skew), default 24 h. */
  maxFutureMs?: number;
}

export function createEventSchemas(opts: EventSchemaOptions = {}) {
  const now = opts.now ?? (() => new Date());
  const past = pastInstant(now, opts.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS);
  const data = eventDataSchemas(past);
  const base = { id: EventId, occurredAt: past };

  const members = [
    z.strictObject({
      ...base,
      type: z.literal("shipment.eta_updated"),
      data: data["shipment.eta_updated"],
      customer: CustomerInput.optional(),
    }),
    z.strictObject({ ...base, type: z.literal("shipment.delivered"), data: data["shipment.delivered"] }),
    z.strictObject({ ...base, type: z.literal("flight.status_changed"), data: data["flight.status_changed"] }),
    z.strictObject({
      ...base,
      type: z.literal("deliverable.qa_failed"),
      data: data["deliverable.qa_failed"],
      customer: CustomerInput.optional(),
    }),
    z.strictObject({ ...base, type: z.literal("deliverable.corrected"), data: data["deliverable.corrected"] }),
    z.strictObject({
      ...base,
      type: z.literal("customer.complaint_received"),
      data: data["customer.complaint_received"],
      customer: CustomerInput.optional(),
    }),
  ] as const;

  const AnyEvent = z.discriminatedUnion("type", members, {
    error: (issue) =>
      issue.code === "invalid_union" ? `must be a known event type: ${EVENT_TYPES.join(", ")}` : undefined,
  });

  /** One event; forbidden keys anywhere are rejected first. */
  const OpsEvent = rejectForbiddenKeys(AnyEvent);

  /** `{ events: [...] }`, 1..MAX_EVENTS_PER_BATCH events. */
  const OpsEventBatch = rejectForbiddenKeys(
    z.strictObject({
      events: z
        .array(AnyEvent)
        .min(1, "must contain at least one event")
        .max(MAX_EVENTS_PER_BATCH, `must contain at most ${MAX_EVENTS_PER_BATCH} events`),
    }),
  );

  /**
   * The body of `POST /api/events`: a batch if it has an `events` key, else a
   * single event. Returns the events or the bad fields, never throws.
   */
  function parseEventsBody(body: unknown): ParsedEventsBody {
    const isBatch = typeof body === "object" && body !== null && !Array.isArray(body) && "events" in body;
    if (isBatch) {
      const list = (body as { events: unknown }).events;
      if (Array.isArray(list) && list.length > MAX_EVENTS_PER_BATCH) {
        return fail([
          { field: "events", message: `must contain at most ${MAX_EVENTS_PER_BATCH} events, got ${list.length}` },
        ]);
      }
      const result = OpsEventBatch.safeParse(body);
      return result.success ? { ok: true, batch: true, events: result.data.events } : fail(formatIssues(result.error));
    }
    const result = OpsEvent.safeParse(body);
    return result.success ? { ok: true, batch: false, events: [result.data] } : fail(formatIssues(result.error));
  }

  return { data, OpsEvent, OpsEventBatch, parseEventsBody };
}

export type ParsedEventsBody = { ok: true; batch: boolean; events: OpsEvent[] } | { ok: false; issues: FieldIssue[] };

const fail = (issues: FieldIssue[]): ParsedEventsBody => ({ ok: false, issues });

/** The schemas with the system clock: what production uses. */
const defaults = createEventSchemas();
export const { OpsEvent, OpsEventBatch, parseEventsBody } = defaults;
/** Data schema per event type, for typing Inngest events (`eventType(name, { schema })`). */
export const EVENT_DATA_SCHEMAS = defaults.data;

export type OpsEvent = z.infer<typeof OpsEvent>;
export type OpsEventBatch = z.infer<typeof OpsEventBatch>;
export type OpsEventOf<T extends EventType> = Extract<OpsEvent, { type: T }>;
export type EventDataOf<T extends EventType> = OpsEventOf<T>["data"];

export type ShipmentEtaUpdatedData = EventDataOf<"shipment.eta_updated">;
export type ShipmentDeliveredData = EventDataOf<"shipment.delivered">;
export type FlightStatusChangedData = EventDataOf<"flight.status_changed">;
export type FlightStatus = FlightStatusChangedData["status"];
export type FlightBooking = FlightStatusChangedData["bookings"][number];
export type DeliverableQaFailedData = EventDataOf<"deliverable.qa_failed">;
export type IssueSeverity = DeliverableQaFailedData["issues"][number]["severity"];
export type DeliverableCorrectedData = EventDataOf<"deliverable.corrected">;
export type CustomerComplaintReceivedData = EventDataOf<"customer.complaint_received">;
