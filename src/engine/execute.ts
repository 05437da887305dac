import { backoffMs, retryAfterMs } from "./backoff.ts";
import type { Dispatch } from "./checkpoint.ts";
import { wakeTime } from "./duration.ts";
import { isActive } from "./events.ts";
import { newId } from "./ids.ts";
import type { RegisteredFunction } from "./registry.ts";
import { firstEvent, type Runtime } from "./runtime.ts";
import { canonicalJson, signBody } from "./signing.ts";
import type { JobRow, RunRow, WaitRow } from "./store/store.ts";
import type { Transport } from "./transport.ts";
import type { EngineEvent, SerializedError, StepResult } from "./types.ts";

/** One op of a 206 reply. */
export interface Op {
  op: string;
  id: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: SerializedError;
  opts?: Record<string, unknown>;
}

type Outcome =
  | { kind: "completed"; output: unknown }
  | { kind: "ops"; ops: Op[]; retryAfter?: number }
  | { kind: "retry"; error: SerializedError; retryAfter?: number }
  | { kind: "failed"; error: SerializedError };

/**
 * Build the call request for a job, exactly as the Inngest server would. `fn_id` and `qi_id`
 * (with the dispatch's request and generation ids in headers) let the SDK checkpoint.
 */
export function buildCall(
  rt: Runtime,
  fn: RegisteredFunction,
  run: RunRow,
  job: JobRow,
  signingKey: string,
  dispatch: Dispatch,
): Request {
  const steps = rt.store.steps(run.id);
  const events = JSON.parse(run.events) as EngineEvent[];
  const stack = steps.map((s) => s.hash);
  const body = canonicalJson({
    event: events[0],
    events,
    steps: Object.fromEntries(steps.map((s) => [s.hash, JSON.parse(s.result) as StepResult])),
    version: 2,
    ctx: {
      run_id: run.id,
      fn_id: fn.id,
      qi_id: String(job.id),
      attempt: job.attempt,
      max_attempts: fn.maxAttempts,
      disable_immediate_execution: run.parallel === 1,
      use_api: false,
      stack: { stack, current: stack.length },
    },
  });
  const url = new URL(fn.url);
  url.searchParams.set("fnId", fn.id);
  url.searchParams.set("stepId", job.step ?? "step");
  return new Request(url, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-inngest-signature": signBody(body, signingKey),
      "x-inngest-server-kind": "cloud",
      "x-request-id": dispatch.requestId,
      "x-inngest-generation-id": String(dispatch.generation),
    },
  });
}

/** Call the SDK and turn whatever comes back (or doesn't) into an outcome. Never throws. */
export async function callSdk(transport: Transport, request: Request, now: number): Promise<Outcome> {
  let response: Response;
  let text: string;
  try {
    response = await transport(request);
    text = await response.text();
  } catch (error) {
    return { kind: "retry", error: { name: "TransportError", message: (error as Error).message } };
  }
  const retryAfter = retryAfterMs(response.headers.get("retry-after"), now);
  const body = parseJson(text);
  const fromSdk = response.headers.has("x-inngest-sdk");
  if (response.status === 200 && fromSdk) return { kind: "completed", output: body };
  if (response.status === 206 && fromSdk && Array.isArray(body) && body.length > 0)
    return { kind: "ops", ops: body as Op[], retryAfter };
  const error = asError(body, `${response.status} from ${request.url.split("?")[0]}`);
  if (!fromSdk && response.ok)
    return {
      kind: "retry",
      error: { name: "NonSdkResponse", message: `a ${response.status} without x-inngest-sdk is not an SDK answer` },
    };
  if (response.headers.get("x-inngest-no-retry") === "true") return { kind: "failed", error };
  return { kind: "retry", error, retryAfter };
}

/** Apply an outcome to the run's state. Runs inside a transaction. */
export function applyOutcome(
  rt: Runtime,
  fn: RegisteredFunction,
  jobId: number,
  startedAt: number,
  outcome: Outcome,
): void {
  const job = rt.store.job(jobId);
  if (!job?.run_id) return; // cancelled while the call was in flight: nothing after it runs
  const run = rt.store.run(job.run_id);
  if (!run || !isActive(run)) {
    rt.store.q.jobDelete.run(job.id);
    return;
  }
  const now = rt.now();
  switch (outcome.kind) {
    case "completed":
      rt.complete(run, outcome.output);
      return;
    case "failed":
      rt.fail(run, outcome.error);
      return;
    case "retry":
      if (job.attempt + 1 >= fn.maxAttempts) {
        rt.fail(run, outcome.error);
        return;
      }
      rt.store.q.jobReschedule.run(job.attempt + 1, now + (outcome.retryAfter ?? backoffMs(job.attempt)), job.id);
      return;
    case "ops": {
      rt.store.q.jobDelete.run(job.id);
      if (isParallelPlan(outcome.ops)) {
        rt.store.q.runParallel.run(1, run.id);
        run.parallel = 1;
      }
      // Waits first, so an event sent by a sibling step cannot slip past them.
      const ordered = [...outcome.ops].sort(
        (a, b) => Number(b.op === "WaitForEvent") - Number(a.op === "WaitForEvent"),
      );
      for (const op of ordered) {
        if (!isActive(run)) return;
        applyOp(rt, fn, run, job, op, startedAt, outcome.retryAfter);
      }
      if (isActive(run)) rt.continueIfIdle(run);
    }
  }
}

function applyOp(
  rt: Runtime,
  fn: RegisteredFunction,
  run: RunRow,
  job: JobRow,
  op: Op,
  startedAt: number,
  retryAfter?: number,
): void {
  const now = rt.now();
  const name = op.displayName ?? op.name ?? null;
  const store = rt.store;
  switch (op.op) {
    case "StepRun":
      rt.memoize(run, op.id, name, op.op, { data: op.data ?? null }, job.attempt + 1, startedAt);
      return;
    case "StepFailed":
      rt.memoize(
        run,
        op.id,
        name,
        op.op,
        { error: op.error ?? { name: "Error", message: "step failed" } },
        job.attempt + 1,
        startedAt,
      );
      return;
    case "StepError":
      if (job.attempt + 1 >= fn.maxAttempts) {
        rt.memoize(
          run,
          op.id,
          name,
          "StepFailed",
          { error: op.error ?? { name: "Error", message: "step failed" } },
          job.attempt + 1,
          startedAt,
        );
        return;
      }
      store.insertJob({
        run_id: run.id,
        kind: "call",
        step: op.id,
        attempt: job.attempt + 1,
        due_at: now + (retryAfter ?? backoffMs(job.attempt)),
        payload: null,
        queue: run.function_id,
      });
      return;
    case "StepPlanned":
      store.insertJob({
        run_id: run.id,
        kind: "call",
        step: op.id,
        attempt: 0,
        due_at: now,
        payload: null,
        queue: run.function_id,
      });
      return;
    case "Sleep":
      store.insertJob({
        run_id: run.id,
        kind: "resume",
        step: op.id,
        attempt: 0,
        due_at: wakeTime(op.name ?? "0s", now),
        payload: JSON.stringify({ name }),
        queue: run.function_id,
      });
      return;
    case "WaitForEvent":
      parkRun(rt, run, op, name, "event", op.name ?? "", (op.opts?.if as string | undefined) ?? null);
      return;
    case "InvokeFunction":
      invoke(rt, run, op, name);
      return;
    case "StepNotFound":
      return;
    case "RunComplete":
      rt.complete(run, op.data ?? null);
      return;
    default:
      rt.fail(run, { name: "UnsupportedOpError", message: `op "${op.op}" is not supported by the embedded engine` });
  }
}

function invoke(rt: Runtime, run: RunRow, op: Op, name: string | null): void {
  const now = rt.now();
  const targetId = op.opts?.function_id as string | undefined;
  const target = targetId ? rt.functions.get(targetId) : undefined;
  if (!target) {
    rt.memoize(
      run,
      op.id,
      name,
      "InvokeFunction",
      { error: { name: "Error", message: `function "${targetId}" is not registered` } },
      1,
      now,
    );
    return;
  }
  const correlation = `${run.id}.${op.id}`;
  const payload = (op.opts?.payload ?? {}) as { data?: Record<string, unknown>; user?: unknown };
  const event: EngineEvent = {
    id: newId(now),
    name: "inngest/function.invoked",
    data: { ...(payload.data ?? {}), _inngest: { correlation_id: correlation } },
    ts: now,
    ...(payload.user === undefined ? {} : { user: payload.user }),
  };
  rt.store.q.eventInsert.run(event.id, event.id, event.name, JSON.stringify(event), now, 0);
  parkRun(rt, run, op, name, "invoke", correlation, null);
  rt.createRun(target, [event], { correlation });
}

/** Park the run on a wait (an event, or an invoked run's end), with its timeout timer. */
function parkRun(
  rt: Runtime,
  run: RunRow,
  op: Op,
  name: string | null,
  kind: "event" | "invoke",
  event: string,
  expression: string | null,
): void {
  const timeout = op.opts?.timeout as string | undefined;
  const expiresAt = timeout ? wakeTime(timeout, rt.now()) : null;
  const timeoutJob =
    expiresAt === null
      ? null
      : rt.store.insertJob({
          run_id: run.id,
          kind: "wait_timeout",
          step: op.id,
          attempt: 0,
          due_at: expiresAt,
          payload: null,
          queue: run.function_id,
        });
  rt.addWait(
    { run_id: run.id, step: op.id, name, kind, event, expression, expires_at: expiresAt, timeout_job: timeoutJob },
    firstEvent(run),
  );
}

/** A sleep ended, or a wait / invoke timed out: memoize and carry on. Runs inside a transaction. */
export function applyTimer(rt: Runtime, job: JobRow): void {
  rt.store.q.jobDelete.run(job.id);
  const run = job.run_id ? rt.store.run(job.run_id) : undefined;
  if (!run || !isActive(run) || !job.step) return;
  if (job.kind === "resume") {
    const { name } = JSON.parse(job.payload ?? "{}") as { name?: string };
    if (rt.memoize(run, job.step, name ?? null, "Sleep", { data: null }, 1, null)) rt.continueIfIdle(run);
    return;
  }
  const wait = (rt.store.q.waitsForRun.all(run.id) as WaitRow[]).find((w) => w.step === job.step);
  if (!wait) return;
  rt.removeWait(wait);
  const result: StepResult =
    wait.kind === "invoke"
      ? { error: { name: "InngestInvokeTimeoutError", message: `invoked function did not finish within the timeout` } }
      : { data: null };
  if (
    rt.memoize(
      run,
      wait.step,
      wait.name,
      wait.kind === "invoke" ? "InvokeFunction" : "WaitForEvent",
      result,
      1,
      wait.created_at,
    )
  ) {
    rt.continueIfIdle(run);
  }
}

/**
 * A reply that plans more than one thing at once (or a step in parallel mode) starts a
 * parallel group: its branches run with `disable_immediate_execution` until the group is
 * done. A lone StepPlanned (a checkpointing call past its runtime budget) or steps a
 * checkpointing call buffered (StepRun…, RunComplete) are not a group.
 */
function isParallelPlan(ops: Op[]): boolean {
  const planned = ops.filter((o) => o.op !== "StepRun" && o.op !== "StepFailed" && o.op !== "RunComplete");
  return planned.length > 1 || planned.some((o) => o.opts?.parallelMode !== undefined);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function asError(body: unknown, fallback: string): SerializedError {
  if (body && typeof body === "object" && "message" in body) {
    const b = body as Record<string, unknown>;
    return { ...b, name: String(b.name ?? "Error"), message: String(b.message) };
  }
  return { name: "Error", message: typeof body === "string" && body ? body.slice(0, 1000) : fallback };
}
