import { describe, expect, test } from "vitest";
import {
  baseLocale,
  CurrencyCode,
  GestureAmount,
  GestureValue,
  isE164,
  isValidTimeZone,
  MAX_GESTURE_AMOUNT,
  SUPPORTED_LOCALES,
} from "../../../src/events/schemas.ts";

describe("locales", () => {
  test("every supported locale maps to its base language", () => {
    expect(SUPPORTED_LOCALES.map(baseLocale)).toEqual(["en", "en", "en", "fr", "fr", "de", "de", "de", "de"]);
  });
});

describe("time zones", () => {
  test.each([
    "Europe/London",
    "America/New_York",
    "America/Argentina/Buenos_Aires",
    "UTC",
    "Asia/Kolkata",
    "Etc/GMT+1",
  ])("%s is a valid IANA name", (tz) => {
    expect(isValidTimeZone(tz)).toBe(true);
  });

  test("a legacy alias the runtime knows is valid", () => {
    expect(isValidTimeZone("Asia/Calcutta")).toBe(true);
  });

  test.each(["Europe/Atlantis", "Mars/Olympus_Mons", "+01:00", "GMT+1", "utc", "europe/london", "Europe/London "])(
    "%j is not",
    (tz) => {
      expect(isValidTimeZone(tz)).toBe(false);
    },
  );
});

describe("phone numbers", () => {
  test("E.164 shape and a real numbering plan: + then 7 to 15 digits, a number that can exist", () => {
    expect(isE164("+447911123456")).toBe(true);
    expect(isE164("+33612345678")).toBe(true);
    expect(isE164("+14155550100")).toBe(true);
    expect(isE164("+123456")).toBe(false);
    expect(isE164("+1234567890123456")).toBe(false);
    expect(isE164("+0447700900123")).toBe(false);
    expect(isE164("+447911 123456")).toBe(false);
    // Right shape, but no such number: a UK mobile is 10 digits after +44.
    expect(isE164("+4479111234567")).toBe(false);
  });
});

describe("money", () => {
  test("gesture amounts: zero up to the cap, finite, at most 3 decimals", () => {
    expect(GestureAmount.safeParse(0).success).toBe(true);
    expect(GestureAmount.safeParse(19.99).success).toBe(true);
    expect(GestureAmount.safeParse(MAX_GESTURE_AMOUNT).success).toBe(true);
    expect(GestureAmount.safeParse(MAX_GESTURE_AMOUNT + 0.01).success).toBe(false);
    expect(GestureAmount.safeParse(-0.01).success).toBe(false);
    expect(GestureAmount.safeParse(Number.NaN).success).toBe(false);
    expect(GestureAmount.safeParse(Number.POSITIVE_INFINITY).success).toBe(false);
    expect(GestureAmount.safeParse(1.0001).success).toBe(false);
  });

  test("an over-cap gesture value names the amount", () => {
    const r = GestureValue.safeParse({ amount: 1_000_000, currency: "EUR" });
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["amount"]);
  });

  test("currency codes are three capital letters", () => {
    expect(CurrencyCode.safeParse("JPY").success).toBe(true);
    for (const bad of ["jpy", "JP", "JPYY", "J1Y", "€"]) expect(CurrencyCode.safeParse(bad).success).toBe(false);
  });
});
