import { z } from "zod";
import type { ApiOperation, ApiResponse } from "../http/openapi.ts";

/** The operations of `recoveryRoutes`, for the OpenAPI document (a test checks both lists agree). */
const error = (description: string): ApiResponse => ({ description, schema: "Error" });
const keyErrors = {
  "401": error("No API key, or not a valid one"),
  "403": error("The key lacks the scope this operation needs"),
};
const ok = (description: string): ApiResponse => ({ description, schema: "Json" });
const id = { name: "id", in: "path" as const, description: "The disruption's id", schema: z.string().max(100) };
const query = (name: string, description: string, schema: z.ZodType = z.string()) => ({
  name,
  in: "query" as const,
  description,
  schema,
});

export const RECOVERY_API_OPERATIONS: ApiOperation[] = [
  {
    method: "get",
    path: "/api/disruptions",
    operationId: "listDisruptions",
    summary: "Disruptions, newest first",
    tags: ["recoveries"],
    scope: "read",
    parameters: [
      query("kind", "shipment_delay, flight_cancelled, flight_diverted, flight_delayed, deliverable_error"),
      query("status", "open, awaiting_approval, notified, resolved, superseded"),
      query("customerId", "Only this customer's"),
      query("from", "Detected at or after (ISO 8601 with offset)"),
      query("to", "Detected at or before (ISO 8601 with offset)"),
      query("cursor", "The `cursor` of the previous page (opaque; keyset on time and id)"),
      query("limit", "1–200, default 50", z.number().int()),
    ],
    responses: {
      "200": ok("A page of disruptions, and the next page's cursor when this one was full"),
      "400": error("An invalid filter or cursor"),
      ...keyErrors,
    },
  },
  {
    method: "get",
    path: "/api/disruptions/{id}",
    operationId: "getDisruption",
    summary: "One disruption: its timeline (every decision with its reason), gesture, approvals and messages",
    tags: ["recoveries"],
    scope: "read",
    parameters: [id],
    responses: { "200": ok("The disruption and its recovery"), "404": error("No such disruption"), ...keyErrors },
  },
  {
    method: "post",
    path: "/api/disruptions/{id}/approval",
    operationId: "decideApproval",
    summary: "Approve or deny the gesture waiting for a manager; the recovery continues at once",
    tags: ["recoveries"],
    scope: "approve",
    parameters: [id],
    requestBody: { schemas: ["ApprovalDecision"] },
    responses: {
      "200": ok("The decision was recorded"),
      "400": error("Invalid decision"),
      "404": error("No such disruption"),
      "409": error("No approval is pending (already decided or expired)"),
      "415": error("Body is not `application/json`"),
      ...keyErrors,
    },
  },
  {
    method: "get",
    path: "/api/messages",
    operationId: "listMessages",
    summary:
      "Messages sent, deferred or held in the local outbox, each with its delivery status and the provider's reports (`deliveryEvents`)",
    tags: ["recoveries"],
    scope: "read",
    parameters: [
      query("disruptionId", "Only this disruption's"),
      query("channel", "email or sms"),
      query("status", "What our send did: queued, deferred, sent, failed, skipped"),
      query(
        "deliveryStatus",
        "The provider's latest report: queued, sent, delivery_delayed, delivered, bounced, complained, undelivered, failed",
      ),
      query("cursor", "The `cursor` of the previous page (opaque; keyset on time and id)"),
      query("limit", "1–500, default 100", z.number().int()),
    ],
    responses: {
      "200": ok("Messages, newest first, and the next page's cursor when this one was full"),
      "400": error("An invalid filter or cursor"),
      ...keyErrors,
    },
  },
  {
    method: "get",
    path: "/api/metrics",
    operationId: "getMetrics",
    summary:
      "Trust metrics: proactive rate, time to notify p50/p95, promise kept, gesture spend, pending approvals, delivery (delivered rate per channel and provider, failures, fallbacks, time to delivered)",
    tags: ["recoveries"],
    scope: "read",
    parameters: [
      query("from", "Period start (ISO 8601 with offset)"),
      query("to", "Period end (ISO 8601 with offset)"),
      query(
        "series",
        "`day` or `week`: also answer `series` (the headline figures per UTC day or week, the last bucket ending on `to`'s day) and `previous` (the same figures for the period as long just before, shifted back by whole days); needs `from` and `to`, at most 366 days apart",
        z.enum(["day", "week"]),
      ),
    ],
    responses: { "200": ok("The metrics for the period"), "400": error("An invalid period or series"), ...keyErrors },
  },
];
