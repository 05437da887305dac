import { Cron } from "croner";
import { checkExpression } from "./cel.ts";
import { parseDuration } from "./duration.ts";

/** A function as the SDK registers it (the parts the engine acts on). */
export interface FunctionConfig {
  id: string;
  name?: string;
  triggers: Array<{ event?: string; expression?: string; cron?: string }>;
  steps: Record<string, { runtime: { url: string }; retries?: { attempts?: number } }>;
  concurrency?: ConcurrencyOption | ConcurrencyOption[];
  cancel?: Array<{ event: string; if?: string; timeout?: string }>;
  idempotency?: string;
  rateLimit?: { limit: number; period: string; key?: string };
  throttle?: { limit: number; period: string; key?: string; burst?: number };
  debounce?: { period: string; key?: string; timeout?: string };
  batchEvents?: { maxSize: number; timeout: string; key?: string };
}

export interface ConcurrencyOption {
  limit: number;
  key?: string;
  scope?: "fn" | "env" | "account";
}

export interface RegisteredFunction {
  id: string;
  appId: string;
  url: string;
  config: FunctionConfig;
  maxAttempts: number;
}

export interface RegisterRequest {
  url: string;
  appName: string;
  framework?: string;
  sdk?: string;
  functions: FunctionConfig[];
}

/** Retries absent means Inngest's default: 4 retries, 5 attempts. */
const DEFAULT_RETRIES = 4;
const SUPPORTED = new Set([
  "id",
  "name",
  "triggers",
  "steps",
  "concurrency",
  "cancel",
  "idempotency",
  "rateLimit",
  "throttle",
  "debounce",
  "batchEvents",
]);

export class SyncError extends Error {}

/** Validate a register request; refuse loudly anything the engine does not implement. */
export function parseRegistration(body: unknown): { app: RegisterRequest; functions: RegisteredFunction[] } {
  if (!body || typeof body !== "object") throw new SyncError("register body must be a JSON object");
  const app = body as RegisterRequest;
  if (typeof app.url !== "string" || typeof app.appName !== "string" || !Array.isArray(app.functions)) {
    throw new SyncError("register body needs url, appName and functions");
  }
  const url = stripDeployId(app.url);
  const functions = app.functions.map((config) => checkFunction(config));
  return { app: { ...app, url }, functions: functions.map((f) => ({ ...f, appId: app.appName })) };
}

function checkFunction(config: FunctionConfig): Omit<RegisteredFunction, "appId"> {
  const where = `function "${config.id}"`;
  for (const [option, value] of Object.entries(config)) {
    if (!SUPPORTED.has(option) && value !== undefined && value !== null) {
      throw new SyncError(`${where}: option "${option}" is not supported by the embedded engine`);
    }
  }
  const step = config.steps?.step;
  if (!step?.runtime?.url) throw new SyncError(`${where}: missing steps.step.runtime.url`);
  if (!Array.isArray(config.triggers) || config.triggers.length === 0) throw new SyncError(`${where}: no triggers`);
  const guard = (label: string, check: () => void) => {
    try {
      check();
    } catch (error) {
      throw new SyncError(`${where}: invalid ${label}: ${(error as Error).message}`);
    }
  };
  for (const trigger of config.triggers) {
    if (trigger.cron) guard(`cron "${trigger.cron}"`, () => parseCron(trigger.cron as string));
    else if (!trigger.event) throw new SyncError(`${where}: a trigger needs an event or a cron`);
    if (trigger.expression) guard("trigger expression", () => checkExpression(trigger.expression as string));
  }
  for (const c of concurrencyOptions(config)) {
    if (!(c.limit > 0)) throw new SyncError(`${where}: concurrency.limit must be positive`);
    if (c.key) guard("concurrency.key", () => checkExpression(c.key as string));
  }
  for (const c of config.cancel ?? []) if (c.if) guard("cancel.if", () => checkExpression(c.if as string));
  if (config.idempotency) guard("idempotency", () => checkExpression(config.idempotency as string));
  // Inngest filters batched events with `batchEvents.if`; the engine does not, so it must not accept it silently.
  if (config.batchEvents && (config.batchEvents as Record<string, unknown>).if != null) {
    throw new SyncError(`${where}: option "batchEvents.if" is not supported by the embedded engine`);
  }
  for (const [label, option] of [
    ["rateLimit", config.rateLimit],
    ["throttle", config.throttle],
    ["debounce", config.debounce],
    ["batchEvents", config.batchEvents],
  ] as const) {
    if (!option) continue;
    if (option.key) guard(`${label}.key`, () => checkExpression(option.key as string));
    for (const field of ["period", "timeout"] as const) {
      const value = (option as Record<string, unknown>)[field];
      if (typeof value === "string") guard(`${label}.${field}`, () => parseDuration(value));
    }
  }
  const retries = step.retries?.attempts ?? DEFAULT_RETRIES;
  return { id: config.id, url: stripDeployId(step.runtime.url), config, maxAttempts: retries + 1 };
}

export function concurrencyOptions(config: FunctionConfig): ConcurrencyOption[] {
  if (!config.concurrency) return [];
  const list = Array.isArray(config.concurrency) ? config.concurrency : [config.concurrency];
  return list.map((c) => (typeof c === "number" ? { limit: c } : c));
}

/** Inngest crons may start with `TZ=Area/City`. */
export function parseCron(spec: string): Cron {
  const match = spec.match(/^(?:CRON_)?TZ=(\S+)\s+(.*)$/);
  return new Cron(match ? (match[2] as string) : spec, { timezone: match?.[1], paused: true });
}

export function nextCronTime(spec: string, after: number): number | undefined {
  return parseCron(spec).nextRun(new Date(after))?.getTime();
}

function stripDeployId(raw: string): string {
  const url = new URL(raw);
  url.searchParams.delete("deployId");
  return url.toString();
}
