import { describe, expect, test } from "vitest";
import { CustomerId, CustomerInput, formatIssues } from "../../../src/events/schemas.ts";
import { customer } from "./samples.ts";

const fields = (body: unknown) => {
  const r = CustomerInput.safeParse(body);
  return r.success ? [] : formatIssues(r.error).map((i) => i.field);
};

describe("PUT /api/customers/{id} body", () => {
  test("the API.md example is accepted unchanged", () => {
    expect(CustomerInput.parse(customer())).toEqual(customer());
  });

  test("phone and accountLead may be left out for an email-only customer", () => {
    const { phone: _p, accountLead: _a, ...rest } = customer();
    expect(fields({ ...rest, preferredChannel: "email" })).toEqual([]);
  });

  test.each(["sms", "both"])("a phone is required when preferredChannel is %s", (preferredChannel) => {
    const { phone: _p, ...rest } = customer();
    const r = CustomerInput.safeParse({ ...rest, preferredChannel });
    expect(r.success).toBe(false);
    expect(formatIssues(r.error ?? { issues: [] })).toEqual([
      { field: "phone", message: `is required when preferredChannel is "${preferredChannel}"` },
    ]);
  });

  test("an unknown field is rejected by name", () => {
    expect(fields({ ...customer(), vip: true })).toEqual(["vip"]);
    expect(fields({ ...customer(), consent: { email: true, sms: true, push: true } })).toEqual(["consent.push"]);
  });

  test("a constructor key is rejected", () => {
    expect(fields(JSON.parse(`{"constructor":{"prototype":{}},${JSON.stringify(customer()).slice(1)}`))).toEqual([
      "constructor",
    ]);
  });

  test.each([
    ["+44 7700 900123", "spaces"],
    ["07700900123", "no country code"],
    ["+0447700900123", "country code starting with 0"],
    ["+12345", "too short"],
    ["+1234567890123456", "16 digits"],
    ["tel:+447911123456", "a URI"],
  ])("phone %j (%s) is not E.164", (phone) => {
    expect(fields({ ...customer(), phone })).toEqual(["phone"]);
  });

  test.each(["ada", "ada@", "@example.com", "ada@example", "ada @example.com", "ada@example.com\r\nBcc: x@y.z"])(
    "email %j is invalid",
    (email) => {
      expect(fields({ ...customer(), email })).toEqual(["email"]);
    },
  );

  test("the account lead's email and name are checked too", () => {
    expect(fields({ ...customer(), accountLead: { name: "Sarah\nChen", email: "sarah" } })).toEqual([
      "accountLead.name",
      "accountLead.email",
    ]);
  });

  test("CR/LF in the name", () => {
    expect(fields({ ...customer(), name: "Ada\nLovelace" })).toEqual(["name"]);
  });

  test("a blank name", () => {
    expect(fields({ ...customer(), name: "   " })).toEqual(["name"]);
  });

  test("bidi override and zero-width characters in the name", () => {
    expect(fields({ ...customer(), name: "Ada \u202Eecalevol" })).toEqual(["name"]);
    expect(fields({ ...customer(), name: "Ad\u200Ba" })).toEqual(["name"]);
  });

  test("accented and non-Latin names are fine", () => {
    expect(fields({ ...customer(), name: "Zoë Ñúñez-O'Brien" })).toEqual([]);
    expect(fields({ ...customer(), name: "山田 太郎" })).toEqual([]);
  });

  test.each([["Europe/Atlantis"], ["+01:00"], ["GMT+1"], ["europe/london"], [""]])(
    "time zone %j is rejected",
    (timeZone) => {
      expect(fields({ ...customer(), timeZone })).toEqual(["timeZone"]);
    },
  );

  test.each(["es", "en-AU", "EN-GB", "en_GB", "fr-CA", "de-LU"])("locale %j is unsupported", (locale) => {
    expect(fields({ ...customer(), locale })).toEqual(["locale"]);
  });

  test("tier and preferred channel must be from their lists", () => {
    expect(fields({ ...customer(), tier: "gold", preferredChannel: "pigeon" })).toEqual(["tier", "preferredChannel"]);
  });

  test("consent needs both booleans", () => {
    expect(fields({ ...customer(), consent: { email: "yes" } })).toEqual(["consent.email", "consent.sms"]);
  });
});

describe("customer id (path parameter)", () => {
  test("accepts an ordinary id and rejects control characters and oversized ids", () => {
    expect(CustomerId.safeParse("cus_123").success).toBe(true);
    expect(CustomerId.safeParse("cus\n123").success).toBe(false);
    expect(CustomerId.safeParse("x".repeat(257)).success).toBe(false);
  });
});
