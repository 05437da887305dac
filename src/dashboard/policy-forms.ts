/**
 * The policies page's forms: zod schemas for each POST and the changes they make.
 * A form that does not validate changes nothing and returns its errors by field name.
 */
import { z } from "zod";
import type { PrismaClient } from "../db/generated/node/client.ts";
import { DISRUPTION_KINDS, SEVERITIES } from "../detection/types.ts";
import { parseDuration } from "../engine/duration.ts";
import { CUSTOMER_TIERS } from "../events/customer.ts";
import { DEFAULT_SETTINGS } from "../recovery/services.ts";
import { GESTURE_KINDS } from "../templates/variables.ts";
import { DEFAULT_MANAGER_LIMIT, MANAGER_LIMIT_SETTING } from "./approval-limits.ts";

export interface FieldError {
  field: string;
  message: string;
}
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** The per-customer cap the dashboard stores; the recovery still reads DEFAULT_SETTINGS (a follow-up). */
import { GESTURE_CAP_SETTING } from "../recovery/plan-gesture.ts";

export { GESTURE_CAP_SETTING };

const text = (max: number) => z.string().trim().min(1, "required").max(max, `at most ${max} characters`);
const amount = z
  .string()
  .trim()
  .regex(/^\d+(\.\d{1,2})?$/, "a number ≥ 0 (at most 2 decimals)")
  .transform(Number);
const count = z
  .string()
  .trim()
  .regex(/^\d+$/, "a whole number ≥ 0")
  .transform(Number)
  .refine((n) => n <= 1000, "at most 1000");
const currency = z
  .string()
  .trim()
  .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR");
const duration = z
  .string()
  .trim()
  .regex(/^(\d+(ms|s|m|h|d|w))+$/, 'a duration such as "4h" or "1h30m"')
  .refine((d) => {
    try {
      const ms = parseDuration(d);
      return ms >= 60_000 && ms <= 30 * 86_400_000;
    } catch {
      return false;
    }
  }, "between 1m and 30d");
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "yes" || v === "true");
const gestureRef = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "a gesture id");

export const GestureUpdate = z.object({
  name: text(120),
  description: text(500),
  howToUse: z.string().trim().max(1000, "at most 1000 characters"),
  value: amount,
  currency,
  active: checkbox,
});
export const GestureCreate = GestureUpdate.extend({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "lowercase letters, digits and dashes"),
  kind: z.enum(GESTURE_KINDS, { error: `one of ${GESTURE_KINDS.join(", ")}` }),
});

/**
 * A gesture's texts in one language (the policies page's per-language forms): what a customer reads.
 * Catalog texts decide nothing, so they are saved directly, without a replay.
 */
export const GestureTextForm = z.object({
  name: text(120),
  description: text(500),
  howToUse: z.string().trim().max(1000, "at most 1000 characters"),
});

const WILDCARD_SEVERITIES = ["*", ...SEVERITIES] as const;
const WILDCARD_TIERS = ["*", ...CUSTOMER_TIERS] as const;
export const POLICY_CHOICES = { kinds: DISRUPTION_KINDS, severities: WILDCARD_SEVERITIES, tiers: WILDCARD_TIERS };

export const PolicyForm = z.object({
  disruptionKind: z.enum(DISRUPTION_KINDS, { error: `one of ${DISRUPTION_KINDS.join(", ")}` }),
  severity: z.enum(WILDCARD_SEVERITIES, { error: `one of ${WILDCARD_SEVERITIES.join(", ")}` }),
  tier: z.enum(WILDCARD_TIERS, { error: `one of ${WILDCARD_TIERS.join(", ")}` }),
  gestureId: gestureRef,
  fallbackGestureId: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .pipe(gestureRef.nullable()),
  approvalLimit: amount,
  approvalTimeout: duration,
});

export const BudgetForm = z.object({
  period: z
    .string()
    .trim()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month such as 2026-01"),
  limit: amount,
  currency,
});

export const SettingsForm = z.object({ gestureCap: count, managerApprovalLimit: amount });

/** Parses a form body with `schema`, naming each error by its field. */
export function parseForm<S extends z.ZodType>(schema: S, body: Record<string, unknown>): FormResult<z.output<S>> {
  const strings: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") strings[k] = v;
  const result = schema.safeParse(strings);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((i) => ({
      field: i.path.join(".") || "form",
      message: i.code === "invalid_type" && i.input === undefined ? "required" : i.message,
    })),
  };
}

/** The gestures a policy names must exist in the catalog. */
export async function checkGestureRefs(
  prisma: Pick<PrismaClient, "gesture">,
  refs: { gestureId: string; fallbackGestureId: string | null },
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const field of ["gestureId", "fallbackGestureId"] as const) {
    const id = refs[field];
    if (id && !(await prisma.gesture.findUnique({ where: { id } })))
      errors.push({ field, message: `no gesture "${id}" in the catalog` });
  }
  return errors;
}

/** This month and next ("2026-01", "2026-02") in UTC. */
export function budgetPeriods(now: Date): [string, string] {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return [now.toISOString().slice(0, 7), next.toISOString().slice(0, 7)];
}

export async function readNumberSetting(
  prisma: Pick<PrismaClient, "setting">,
  key: string,
  fallback: number,
): Promise<number> {
  const row = await prisma.setting.findUnique({ where: { key } });
  const value = row ? Number(row.value) : Number.NaN;
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

export async function currentSettings(prisma: Pick<PrismaClient, "setting">) {
  return {
    gestureCap: await readNumberSetting(prisma, GESTURE_CAP_SETTING, DEFAULT_SETTINGS.gestureCapPer30Days),
    managerApprovalLimit: await readNumberSetting(prisma, MANAGER_LIMIT_SETTING, DEFAULT_MANAGER_LIMIT),
  };
}
