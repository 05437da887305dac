import { z } from "zod";

/**
 * Money as it appears in events and gesture policy: a finite, non-negative
 * amount in major units (50 = fifty euros) under a cap, and an ISO
 * 4217-shaped currency code. JSON has no NaN, but `1e999` parses as Infinity,
 * and code that builds payloads can produce NaN: both are rejected.
 */

/** Shape check only (three uppercase letters); the list of real codes changes and is not ours to keep. */
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 currency code in capitals, e.g. EUR");

/** The largest single gesture value we accept anywhere (vouchers, credits), in major units. */
export const MAX_GESTURE_AMOUNT = 10_000;
/** The largest order value we accept in an event, in major units. */
export const MAX_ORDER_AMOUNT = 10_000_000;

export const amount = (max: number) =>
  z
    .number({ error: "must be a finite number" })
    .min(0, "must not be negative")
    .max(max, `must be at most ${max}`)
    .refine((n) => Math.abs(Math.round(n * 1000) - n * 1000) < 1e-6, "must have at most 3 decimal places");

export const money = (max: number) => z.strictObject({ amount: amount(max), currency: CurrencyCode });

export const GestureAmount = amount(MAX_GESTURE_AMOUNT);
export const GestureValue = money(MAX_GESTURE_AMOUNT);
export const OrderValue = money(MAX_ORDER_AMOUNT);

export type CurrencyCode = z.infer<typeof CurrencyCode>;
export type Money = z.infer<typeof GestureValue>;
