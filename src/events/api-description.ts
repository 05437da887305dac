import { z } from "zod";
import { RETRY_AFTER_SECONDS } from "../http/database-errors.ts";
import { ErrorBody } from "../http/error-body.ts";
import { MAX_JSON_BODY_BYTES } from "../http/json-body.ts";
import { type ApiOperation, type ApiResponse, buildOpenApiDocument, type OpenApiDocument } from "../http/openapi.ts";
import { Decision } from "../recovery/api.ts";
import { RECOVERY_API_OPERATIONS } from "../recovery/api-description.ts";
import { PolicyChange } from "../replay/api.ts";
import { REPLAY_API_OPERATIONS } from "../replay/api-description.ts";
import {
  CustomerBody,
  CustomerWithHistoryBody,
  ErasureBody,
  EventOutcomeBody,
  IngestResultBody,
} from "./api-schemas.ts";
import {
  CustomerId,
  CustomerInput,
  EVENT_TYPES,
  EventId,
  MAX_EVENTS_PER_BATCH,
  OpsEvent,
  OpsEventBatch,
} from "./schemas.ts";

/**
 * The operations of `eventsRoutes`, as the OpenAPI document describes them.
 * A test requests every path listed here and checks every route is listed.
 */

const error = (description: string): ApiResponse => ({ description, schema: "Error" });
const retryAfter = {
  "Retry-After": {
    description: "Seconds to wait before retrying",
    schema: { type: "integer", const: RETRY_AFTER_SECONDS },
  },
};
const keyErrors = {
  "401": error("No API key, or not a valid one"),
  "403": error("The key lacks the scope this operation needs"),
};
const bodyErrors = {
  "400": error("Malformed JSON, or fields that fail validation (`details` names each one)"),
  "413": error(`Body larger than ${MAX_JSON_BODY_BYTES / (1024 * 1024)} MiB`),
  "415": error("Body is not `application/json`"),
};
const customerIdParameter = {
  name: "customerId",
  in: "path" as const,
  description: "Your id for the customer (1–256 characters, no control or invisible characters)",
  schema: CustomerId,
};

export const EVENTS_API_OPERATIONS: ApiOperation[] = [
  {
    method: "post",
    path: "/api/events",
    operationId: "sendEvents",
    summary: "Send one event, or a batch",
    description: [
      `One event, or \`{ "events": [ … ] }\` with 1 to ${MAX_EVENTS_PER_BATCH} events. Types: ${EVENT_TYPES.join(", ")}.`,
      "The same id with the same body is a duplicate (accepted once, answered again); the same id with a different body is a 409 and nothing in the request is stored.",
      "An event may carry `customer` next to `customerId` to create or replace that customer in the same call.",
      "A 503 means retry the same request: repeats are safe and nothing accepted is lost.",
    ].join("\n\n"),
    tags: ["events"],
    scope: "events:write",
    requestBody: { schemas: ["Event", "EventBatch"] },
    responses: {
      "202": { description: "Accepted (new ids) and duplicates (already accepted)", schema: "IngestResult" },
      ...bodyErrors,
      ...keyErrors,
      "409": error("An id was already used for an event with a different body; nothing was stored"),
      "503": {
        ...error("Storage or the recovery engine is briefly unavailable; retry the same request"),
        headers: retryAfter,
      },
    },
  },
  {
    method: "get",
    path: "/api/events/{eventId}",
    operationId: "getEvent",
    summary: "What an accepted event did",
    description: [
      "`pending` until the event is decided (usually within a second), then the disruptions it opened, updated, resolved or superseded, and every part not acted on with its reason.",
      "A booking, order or deliverable whose customer has no record yet is `unknown_customer` and held: when the customer arrives (`PUT /api/customers/{customerId}`, or a `customer` embedded in a later event) before `hold.until`, its disruption is detected then and `hold.status` becomes `released`. Other parts of the same event are never held back by it.",
    ].join("\n\n"),
    tags: ["events"],
    scope: "read",
    parameters: [{ name: "eventId", in: "path", description: "The id the sender gave the event", schema: EventId }],
    responses: {
      "200": { description: "The event and its outcome", schema: "EventOutcome" },
      "400": error("The event id is not a valid identifier"),
      ...keyErrors,
      "404": error("No event accepted with this id"),
    },
  },
  {
    method: "put",
    path: "/api/customers/{customerId}",
    operationId: "putCustomer",
    summary: "Create or replace a customer",
    description:
      "Replaces every field; leaving out `phone` or `accountLead` clears it. An SMS opt-out (STOP) stays. Bookings, orders or deliverables held for this customer (`unknown_customer`) are released: their disruptions are detected now. A 503 means the customer is stored but the recovery engine was unreachable: repeat the request.",
    tags: ["customers"],
    scope: "customers:write",
    parameters: [customerIdParameter],
    requestBody: { schemas: ["CustomerInput"] },
    responses: {
      "200": { description: "The stored customer", schema: "Customer" },
      ...bodyErrors,
      ...keyErrors,
      "503": {
        ...error("Stored, but held parts could not be handed to the engine; repeat the request"),
        headers: retryAfter,
      },
    },
  },
  {
    method: "get",
    path: "/api/customers/{customerId}",
    operationId: "getCustomer",
    summary: "A customer and their disruption history",
    tags: ["customers"],
    scope: "read",
    parameters: [customerIdParameter],
    responses: {
      "200": { description: "The customer, with disruptions newest first", schema: "CustomerWithHistory" },
      "400": error("The customer id is not a valid identifier"),
      ...keyErrors,
      "404": error("No customer with this id"),
    },
  },
  {
    method: "delete",
    path: "/api/customers/{customerId}",
    operationId: "eraseCustomer",
    summary: "Erase a customer's personal data",
    description:
      "Erases their name, email and phone, every message's recipient and content, their outbox rows, delivery report details, complaint texts, and every mention of them in timelines, disruption facts, approval notes, held events and accepted event payloads. The anonymised facts stay (disruptions, gestures, message counts, statuses and times), so the metrics do not change. A recovery still running sends nothing more to them. Repeating it answers 200 with `alreadyErased: true`. A later PUT of the customer (or an event carrying them) stores their data again.",
    tags: ["customers"],
    scope: "admin",
    parameters: [customerIdParameter],
    responses: {
      "200": { description: "What was erased", schema: "Erasure" },
      "400": error("The customer id is not a valid identifier"),
      ...keyErrors,
      "404": error("No customer with this id"),
    },
  },
  {
    method: "get",
    path: "/api/customers/{customerId}/export",
    operationId: "exportCustomer",
    summary: "Everything held about one customer, as JSON",
    description:
      "Their record, every disruption with its timeline, gestures and approvals, every message as sent with its delivery reports, their complaints, the parts of events held for them, and the accepted events that carry them. Audited as customer.export.",
    tags: ["customers"],
    scope: "admin",
    parameters: [customerIdParameter],
    responses: {
      "200": { description: "The customer's data", schema: "Json" },
      "400": error("The customer id is not a valid identifier"),
      ...keyErrors,
      "404": error("No customer with this id"),
    },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This document",
    tags: ["documentation"],
    responses: { "200": { description: "OpenAPI 3.1 document" } },
  },
  {
    method: "get",
    path: "/api/docs",
    operationId: "getDocsPage",
    summary: "This document as a web page",
    tags: ["documentation"],
    responses: { "200": { description: "HTML page", contentType: "text/html" } },
  },
];

let cached: OpenApiDocument | undefined;

export function eventsOpenApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument({
    title: "makegood API",
    version: "1.0.0",
    description:
      "Ops systems send events and customers; makegood detects disruptions and recovers them. Every route except this documentation needs `Authorization: Bearer <api key>` with the scope the operation names. JSON only. Errors are `{ error: { code, message, details?, requestId } }`.",
    securityScheme: {
      name: "apiKey",
      description:
        "An API key (`mg_<prefix>_<secret>`) created by an admin, with scopes: events:write, customers:write, read, approve, admin (erase and export a customer's data).",
    },
    schemas: {
      Event: OpsEvent,
      EventBatch: OpsEventBatch,
      CustomerInput,
      IngestResult: IngestResultBody,
      EventOutcome: EventOutcomeBody,
      Customer: CustomerBody,
      CustomerWithHistory: CustomerWithHistoryBody,
      Erasure: ErasureBody,
      Error: ErrorBody,
      ApprovalDecision: Decision,
      PolicyChange,
      Json: z.record(z.string(), z.unknown()),
    },
    operations: [...EVENTS_API_OPERATIONS, ...RECOVERY_API_OPERATIONS, ...REPLAY_API_OPERATIONS],
  });
  return cached;
}
