import { z } from "zod";
import type { ApiOperation, ApiResponse } from "../http/openapi.ts";

/** The operations of `replayRoutes`, for the OpenAPI document. */
const error = (description: string): ApiResponse => ({ description, schema: "Error" });
const keyErrors = {
  "401": error("No API key, or not a valid one"),
  "403": error("The key lacks the scope this operation needs"),
};
const ok = (description: string): ApiResponse => ({ description, schema: "Json" });
const path = (name: string, description: string) => ({
  name,
  in: "path" as const,
  description,
  schema: z.string().max(64),
});

export const REPLAY_API_OPERATIONS: ApiOperation[] = [
  {
    method: "get",
    path: "/api/replay/templates/{kind}/{channel}/{locale}/{version}",
    operationId: "replayTemplate",
    summary:
      "Replay a stored template version over the last N days of disruptions against the version in force: messages whose text changes (with diffs of a sample), SMS over budget, language warnings. Nothing is sent or stored",
    tags: ["replay"],
    scope: "read",
    parameters: [
      path("kind", "The template kind (shipment_delay, flight_cancelled, …)"),
      path("channel", "email or sms"),
      path("locale", "en, fr or de"),
      path("version", "The version to replay (usually a draft)"),
      { name: "days", in: "query" as const, description: "7, 30 (default) or 90", schema: z.number().int() },
    ],
    responses: { "200": ok("What the version would have changed"), "404": error("No such version"), ...keyErrors },
  },
  {
    method: "post",
    path: "/api/replay/policies",
    operationId: "replayPolicies",
    summary:
      "Replay a change of policies, budgets or the per-customer cap over the last N days of disruptions: gestures, approvals needed and spend before and after. Nothing is stored",
    tags: ["replay"],
    scope: "read",
    requestBody: { schemas: ["PolicyChange"] },
    responses: {
      "200": ok("Both sides' outcomes, the spend change and a sample of changed decisions"),
      "400": error("An invalid change, or a policy that does not exist"),
      ...keyErrors,
    },
  },
];
