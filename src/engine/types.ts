/** An event as the SDK sends it and as functions receive it. */
export interface EngineEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  user?: unknown;
  v?: string;
  [field: string]: unknown;
}

/** A memoized step result, exactly as it goes back to the SDK in `steps`. */
export type StepResult = { data: unknown } | { error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  [field: string]: unknown;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Inngest's limits: 1,000 steps per run, 4 MB per step output, 32 MB of run state. */
export const LIMITS = {
  stepsPerRun: 1000,
  stepOutputBytes: 4 * 1024 * 1024,
  runStateBytes: 32 * 1024 * 1024,
};

export type Limits = typeof LIMITS;
