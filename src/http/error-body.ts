import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "./errors.ts";

/** `{ error: { code, message, details?, requestId } }`, as a schema for the OpenAPI document. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    message: z.string().describe("What went wrong and what to do about it"),
    details: z
      .array(z.object({ field: z.string().describe("e.g. events[3].data.newEta"), message: z.string() }))
      .optional()
      .describe("One entry per bad field"),
    requestId: z.string().describe("Quote it when asking for help"),
  }),
});
