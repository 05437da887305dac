import { isValidPhoneNumber } from "libphonenumber-js";
import { z } from "zod";
import { type Language, languageOf } from "../locale/languages.ts";

/**
 * Field types shared by the customer and event schemas: email, phone, locale,
 * time zone, timestamps, URLs. Each has one validation rule and one message.
 */

export const Email = z
  .email({ error: "must be a valid email address" })
  .max(254, { message: "must be at most 254 characters", abort: true });

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * E.164: "+", country code, subscriber number, 7–15 digits, no spaces — and a
 * number that exists in its country's numbering plan (libphonenumber-js), so a
 * typo is caught at the edge rather than as a failed SMS later.
 */
export const isE164 = (s: string): boolean => E164.test(s) && isValidPhoneNumber(s);

export const PhoneE164 = z
  .string()
  .refine(isE164, "must be an E.164 phone number: + then 7 to 15 digits, no spaces (e.g. +447911123456)");

/** The locales the default templates exist for (their languages: src/locale/languages.ts). */
export const SUPPORTED_LOCALES = ["en", "en-GB", "en-US", "fr", "fr-FR", "de", "de-DE", "de-AT", "de-CH"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export type BaseLocale = Language;

export const LocaleSchema = z.enum(SUPPORTED_LOCALES, {
  error: `must be a supported locale: ${SUPPORTED_LOCALES.join(", ")}`,
});

/** The language a supported locale falls back to ("en-GB" → "en"). */
export function baseLocale(locale: Locale): BaseLocale {
  return languageOf(locale);
}

/** "Area/Location[/Sub]" with capitalised segments, or "UTC"; excludes offsets ("+01:00") and "GMT+1". */
const IANA_NAME = /^(?:UTC|[A-Z][A-Za-z_]*(?:\/[A-Z][A-Za-z0-9_+-]*){1,2})$/;
let knownZones: Set<string> | undefined;

/**
 * An IANA time zone name the runtime knows ("Europe/London", "Asia/Kolkata",
 * "UTC"; not "europe/london", "+01:00" or "GMT+1"). The runtime's canonical
 * list is the fast path; aliases it resolves (Asia/Kolkata → Asia/Calcutta)
 * are accepted as well.
 */
export function isValidTimeZone(name: string): boolean {
  if (!IANA_NAME.test(name)) return false;
  knownZones ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (knownZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .max(64, { message: "must be at most 64 characters", abort: true })
  .refine(isValidTimeZone, "must be a known IANA time zone name, e.g. Europe/London");

const INSTANT_MESSAGE = "must be an ISO 8601 timestamp with a time zone offset or Z, e.g. 2025-03-01T14:30:00+01:00";

/** An instant: ISO 8601 date-time WITH an offset or Z. Zone-less times are ambiguous and rejected. */
export const Instant = z.iso.datetime({ offset: true, error: INSTANT_MESSAGE, abort: true });

export const DEFAULT_MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** An instant that has already happened, allowing `maxFutureMs` of clock skew (default 24 h). */
export const pastInstant = (now: () => Date, maxFutureMs = DEFAULT_MAX_FUTURE_MS) =>
  Instant.refine(
    (s) => Date.parse(s) <= now().getTime() + maxFutureMs,
    `must not be more than ${Math.round(maxFutureMs / 3_600_000)} hours in the future`,
  );

/** A calendar date, YYYY-MM-DD (e.g. a flight's scheduled date, local to its departure airport). */
export const LocalDate = z.iso.date({ error: "must be a date in the form YYYY-MM-DD" });

/** An http(s) URL we may put in a message; no javascript:, data: or mailto:. */
export const HttpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http or https URL" })
  .max(2048, { message: "must be at most 2048 characters", abort: true });
