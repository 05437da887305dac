import { createHash } from "node:crypto";
import type { Transport } from "../../src/engine/index.ts";
import type { Harness } from "./harness.ts";

/** Shared by the conformance-core/-steps and wire-golden suites. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The SDK's step id hash: sha1 of the user's id (`id:n` for the n-th repeat). */
export function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

export function record(value: unknown, what = "value"): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new Error(`${what} is not an object: ${JSON.stringify(value)}`);
}

export function list(value: unknown, what = "value"): unknown[] {
  if (Array.isArray(value)) return value;
  throw new Error(`${what} is not an array: ${JSON.stringify(value)}`);
}

type Call = Harness["calls"][number];

/** Call requests the engine made to one function (by its short id). */
export function callsTo(h: Harness, fnId: string, appId = "conformance"): Call[] {
  return h.calls.filter((c) => new URL(c.url).searchParams.get("fnId") === `${appId}-${fnId}`);
}

export function ctxOf(call: Call | undefined): Record<string, unknown> {
  if (!call) throw new Error("no such call");
  return record(call.body.ctx, "ctx");
}

/** The only run of a function. */
export function onlyRun(h: Harness, fnId: string) {
  const runs = h.runs(fnId);
  if (runs.length !== 1) throw new Error(`expected one run of ${fnId}, found ${runs.length}`);
  return h.run((runs[0] as { id: string }).id);
}

export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A `wrapTransport` that records every response the app gives the engine. */
export function recordResponses(into: RecordedResponse[]): (inner: Transport) => Transport {
  return (inner) => async (request) => {
    const response = await inner(request);
    into.push({
      method: request.method,
      url: request.url,
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.clone().text(),
    });
    return response;
  };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
