/**
 * Checkpointing: the SDK (v4's default) runs consecutive `step.run`s inline in one call and
 * reports each finished step here before it runs the next, so a recovery's steps cost one
 * call, not one call each. Verified against inngest@4.24.0 (`components/execution/engine.js`,
 * `api/api.js`, `components/InngestCommHandler.js`) and the Inngest server's checkpoint API.
 *
 * The call request switches it on:
 *   body  ctx.fn_id = <function id>, ctx.qi_id = <job id>   (no fn_id → one step per call)
 *   head  x-request-id = <dispatch's request id>, x-inngest-generation-id = <dispatch's generation>
 * The SDK does not checkpoint when the call names a step (`stepId=<hash>`), when
 * `disable_immediate_execution` is set (a parallel group's branches), on attempts > 0, or when
 * the app turns it off (`checkpointing: false` on the client or the function).
 *
 * Each finished step, while the call is still running:
 *   POST /v1/checkpoint/{runId}/async     Authorization: Bearer <hashed signing key>
 *   { run_id, fn_id, qi_id, request_id, generation_id, request_started_at, steps: [op…], ts }
 * answered
 *   200  committed (memoized) before answering: the step never runs again, even after a crash
 *   409  stale dispatch (the job was cancelled, finished or re-dispatched): the SDK halts
 *   413  the run is over its limits (it has been failed)
 *   400  malformed, or an op not taken here (only StepRun is): the SDK retries, then falls back
 *        to returning the buffered steps in its 206, which the engine applies as usual
 * The call then ends as in plain mode: a 206 with the async op (Sleep, WaitForEvent,
 * InvokeFunction), a parallel group's plan, StepError, StepPlanned (past its runtime budget,
 * 10 s for `serve`), or RunComplete {data} after the steps it may still have buffered.
 */
import type { Runtime } from "./runtime.ts";
import type { RunRow } from "./store/store.ts";

/** One call request in flight: what a checkpoint must name to be current. */
export interface Dispatch {
  jobId: number;
  runId: string;
  requestId: string;
  generation: number;
  startedAt: number;
  /** A checkpoint of this dispatch was refused as stale: its reply must not be applied. */
  stale: boolean;
}

export interface CheckpointRequest {
  run_id: string;
  fn_id: string;
  qi_id: string;
  generation_id?: number;
  steps: Array<{ op: string; id: string; name?: string; displayName?: string; data?: unknown }>;
}

export type CheckpointAnswer = { status: 200 | 400 | 409 | 413; error?: string };

/** Read a checkpoint body; undefined when it is not one. */
export function parseCheckpoint(body: unknown, runId: string): CheckpointRequest | string {
  if (!body || typeof body !== "object") return "body is not an object";
  const b = body as Record<string, unknown>;
  if (b.run_id !== runId) return "run_id does not match the path";
  if (typeof b.fn_id !== "string" || typeof b.qi_id !== "string") return "fn_id and qi_id are required";
  if (!Array.isArray(b.steps) || b.steps.length === 0) return "steps must be a non-empty array";
  for (const s of b.steps as unknown[]) {
    const step = s as Record<string, unknown> | null;
    if (!step || typeof step.op !== "string" || typeof step.id !== "string") return "every step needs op and id";
  }
  return b as unknown as CheckpointRequest;
}

/**
 * Commit a dispatch's finished steps. Runs inside a store transaction; the caller has
 * checked that the dispatch is current.
 */
export function commitCheckpoint(
  rt: Runtime,
  run: RunRow,
  dispatch: Dispatch,
  req: CheckpointRequest,
): CheckpointAnswer {
  const refused = req.steps.find((s) => s.op !== "StepRun");
  if (refused) return { status: 400, error: `op "${refused.op}" is not taken in a checkpoint` };
  for (const step of req.steps) {
    const name = step.displayName ?? step.name ?? null;
    if (!rt.memoize(run, step.id, name, "StepRun", { data: step.data ?? null }, 1, dispatch.startedAt)) {
      return { status: 413, error: "the run is over its limits" };
    }
  }
  return { status: 200 };
}
