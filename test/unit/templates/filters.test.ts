import { expect, test } from "vitest";
import { sampleVariables } from "../../../src/templates/variables.ts";
import { email, sms } from "./helpers.ts";

const at = (body: string, vars: Record<string, unknown> = {}) => sms(body, "shipment_delay", vars).body;

test("datetime gives the day, date and time in the customer's zone and language, naming whose clock it is", () => {
  expect(at("{{ shipment.newEta | datetime }}")).toBe("Tuesday 17 March, 15:00 (London time)");
  expect(at('{{ shipment.newEta | datetime: "date" }}')).toBe("Tuesday 17 March");
  expect(at('{{ shipment.newEta | datetime: "time" }}')).toBe("15:00 (London time)");
  expect(at("{{ shipment.newEta | datetime }}", { locale: "fr-FR", timeZone: "Europe/Paris" })).toBe(
    "mardi 17 mars à 16:00 (heure de Paris)",
  );
  expect(at("{{ shipment.newEta | datetime }}", { locale: "en-US", timeZone: "America/New_York" })).toBe(
    "Tuesday, March 17, 11:00 AM (New York time)",
  );
  expect(at('{{ shipment.newEta | datetime: "full", "Asia/Tokyo" }}')).toBe("Wednesday 18 March, 00:00 (Tokyo time)");
  expect(at('{{ shipment.newEta | datetime: "full", "UTC" }}')).toBe("Tuesday 17 March, 15:00 (GMT)");
});

test("a place names its city: a flight's time is the airport's, whatever the customer's zone", () => {
  const sample = sampleVariables("flight_delayed", "en");
  const flight = {
    ...sample.flight,
    date: "2026-03-17T15:00:00Z",
    departure: { timeZone: "Europe/Paris", city: "Lyon" },
  };
  const render = (vars: Record<string, unknown>) =>
    sms('{{ flight.date | datetime: "full", flight.departure }}', "flight_delayed", { flight, ...vars }).body;
  expect(render({ timeZone: "America/New_York" })).toBe("Tuesday 17 March, 16:00 (Lyon time)");
  expect(render({ timeZone: "Asia/Tokyo" })).toBe("Tuesday 17 March, 16:00 (Lyon time)");
  expect(render({ locale: "fr-FR" })).toBe("mardi 17 mars à 16:00 (heure de Lyon)");
});

test("an estimate is the part of a day, as a person says it", () => {
  const eta = (iso: string, extra: Record<string, unknown> = {}) =>
    at('{{ shipment.newEta | datetime: "estimate" }}', {
      shipment: { orderId: "A", promisedBy: iso, newEta: iso },
      ...extra,
    });
  expect(eta("2026-12-04T08:13:00Z")).toBe("Friday 4 December, by midday");
  expect(eta("2026-12-04T12:00:00Z")).toBe("Friday 4 December, by midday");
  expect(eta("2026-12-04T15:40:00Z")).toBe("Friday 4 December, in the afternoon");
  expect(eta("2026-12-04T19:05:00Z")).toBe("Friday 4 December, in the evening");
  expect(eta("2026-12-04T08:13:00Z", { locale: "fr-FR", timeZone: "Europe/Paris" })).toBe(
    "vendredi 4 décembre d'ici midi",
  );
});

test("datetime follows daylight saving time", () => {
  const vars = (iso: string) => ({ shipment: { orderId: "A", promisedBy: iso, newEta: iso } });
  expect(at('{{ shipment.newEta | datetime: "time" }}', vars("2026-03-29T00:30:00Z"))).toBe("00:30 (London time)");
  expect(at('{{ shipment.newEta | datetime: "time" }}', vars("2026-03-29T01:30:00Z"))).toBe("02:30 (London time)");
});

test("money formats the amount in the currency and the customer's locale, without .00 for whole amounts", () => {
  expect(at("{{ gesture.amount | money: gesture.currency }}")).toBe("£45");
  expect(at('{{ 12.5 | money: "EUR" }}')).toBe("€12.50");
  // fr-FR puts a narrow no-break space before €; in an SMS it becomes a plain space (GSM-7)
  expect(at('{{ 50 | money: "EUR" }}', { locale: "fr-FR" })).toBe("50 €");
  expect(at('{{ 50 | money: "EUR", "de-DE" }}')).toBe("50 €");
});

test("first_name skips honorifics", () => {
  expect(at("{{ customer.name | first_name }}")).toBe("Samira");
  expect(at("{{ customer.name | first_name }}", { customer: { name: "Dr. Sam Okafor", firstName: "Sam" } })).toBe(
    "Sam",
  );
  expect(at("{{ customer.name | first_name }}", { customer: { name: "Mme Camille Martin", firstName: "C" } })).toBe(
    "Camille",
  );
});

test("the standard filters CX may use still work", () => {
  expect(at('{{ customer.firstName | upcase }} {{ contact.name | default: "us" }} {{ "ab" | size }}')).toBe(
    "SAMIRA Nadia Brooks 2",
  );
  expect(at('{{ "a long sentence" | truncate: 6 }} {{ 2 | plus: 3 }}')).toBe("a l... 5");
});

test("French writes the first of a month as 1er; other days and languages as numbers", () => {
  const fr = { locale: "fr-FR", timeZone: "Europe/Paris" };
  const on = (iso: string, vars: Record<string, unknown>) =>
    email({ text: '{{ shipment.newEta | datetime: "date" }}' }, "shipment_delay", {
      shipment: { ...sampleVariables("shipment_delay", "en").shipment, newEta: iso },
      ...vars,
    }).text;
  expect(on("2026-08-01T10:00:00Z", fr)).toBe("samedi 1er août");
  expect(on("2026-08-11T10:00:00Z", fr)).toBe("mardi 11 août");
  expect(on("2026-08-01T10:00:00Z", { locale: "de-DE", timeZone: "Europe/Berlin" })).toBe("Samstag, 1. August");
  expect(on("2026-08-01T10:00:00Z", {})).toBe("Saturday 1 August");
});
