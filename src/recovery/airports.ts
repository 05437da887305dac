import { languageOf, type PerLanguage } from "../locale/languages.ts";
import type { Place } from "../templates/time-words.ts";
import { zoneCity } from "../templates/time-words.ts";

/**
 * The airports makegood knows by name: IATA code → IANA zone and city in every language. Flight times are
 * shown on the departure airport's clock, with its city named ("14:15 (London time)"), so two
 * passengers on one flight read the same time whatever zone they live in.
 *
 * An event may name the zone itself (`departureTimeZone`); otherwise `origin` is looked up here,
 * by code ("LGW") or by name ("London Gatwick"). An airport not listed, and no zone sent: the time
 * is shown in UTC with its offset named ("14:15 (GMT)"), never in the customer's own zone.
 * Add the airports your flights use. A known airport is named in the message's language
 * ("Londres-Gatwick" to a French passenger); any other place as the event wrote it.
 */
export const AIRPORTS: Record<string, { name: PerLanguage; timeZone: string; city: PerLanguage }> = {
  LGW: {
    name: { en: "London Gatwick", fr: "Londres-Gatwick", de: "London-Gatwick" },
    timeZone: "Europe/London",
    city: { en: "London", fr: "Londres", de: "London" },
  },
  LHR: {
    name: { en: "London Heathrow", fr: "Londres-Heathrow", de: "London-Heathrow" },
    timeZone: "Europe/London",
    city: { en: "London", fr: "Londres", de: "London" },
  },
  MAN: {
    name: { en: "Manchester", fr: "Manchester", de: "Manchester" },
    timeZone: "Europe/London",
    city: { en: "Manchester", fr: "Manchester", de: "Manchester" },
  },
  EDI: {
    name: { en: "Edinburgh", fr: "Édimbourg", de: "Edinburgh" },
    timeZone: "Europe/London",
    city: { en: "Edinburgh", fr: "Édimbourg", de: "Edinburgh" },
  },
  CDG: {
    name: { en: "Paris Charles de Gaulle", fr: "Paris-Charles-de-Gaulle", de: "Paris-Charles-de-Gaulle" },
    timeZone: "Europe/Paris",
    city: { en: "Paris", fr: "Paris", de: "Paris" },
  },
  ORY: {
    name: { en: "Paris Orly", fr: "Paris-Orly", de: "Paris-Orly" },
    timeZone: "Europe/Paris",
    city: { en: "Paris", fr: "Paris", de: "Paris" },
  },
  LYS: {
    name: { en: "Lyon", fr: "Lyon", de: "Lyon" },
    timeZone: "Europe/Paris",
    city: { en: "Lyon", fr: "Lyon", de: "Lyon" },
  },
  NCE: {
    name: { en: "Nice", fr: "Nice", de: "Nizza" },
    timeZone: "Europe/Paris",
    city: { en: "Nice", fr: "Nice", de: "Nizza" },
  },
  AMS: {
    name: { en: "Amsterdam", fr: "Amsterdam", de: "Amsterdam" },
    timeZone: "Europe/Amsterdam",
    city: { en: "Amsterdam", fr: "Amsterdam", de: "Amsterdam" },
  },
  FRA: {
    name: { en: "Frankfurt", fr: "Francfort", de: "Frankfurt" },
    timeZone: "Europe/Berlin",
    city: { en: "Frankfurt", fr: "Francfort", de: "Frankfurt" },
  },
  MUC: {
    name: { en: "Munich", fr: "Munich", de: "München" },
    timeZone: "Europe/Berlin",
    city: { en: "Munich", fr: "Munich", de: "München" },
  },
  BER: {
    name: { en: "Berlin Brandenburg", fr: "Berlin-Brandebourg", de: "Berlin-Brandenburg" },
    timeZone: "Europe/Berlin",
    city: { en: "Berlin", fr: "Berlin", de: "Berlin" },
  },
  VIE: {
    name: { en: "Vienna", fr: "Vienne", de: "Wien" },
    timeZone: "Europe/Vienna",
    city: { en: "Vienna", fr: "Vienne", de: "Wien" },
  },
  ZRH: {
    name: { en: "Zurich", fr: "Zurich", de: "Zürich" },
    timeZone: "Europe/Zurich",
    city: { en: "Zurich", fr: "Zurich", de: "Zürich" },
  },
  JFK: {
    name: { en: "New York JFK", fr: "New York-JFK", de: "New York-JFK" },
    timeZone: "America/New_York",
    city: { en: "New York", fr: "New York", de: "New York" },
  },
};

const byName = new Map(
  Object.entries(AIRPORTS).flatMap(([code, a]) => Object.values(a.name).map((n) => [n.toLowerCase(), code] as const)),
);

/** The airport an `origin` names, by IATA code or by name (in any language). */
export function airportOf(origin: string | null | undefined) {
  if (!origin) return undefined;
  const code = /^[A-Z]{3}$/.test(origin.trim()) ? origin.trim() : byName.get(origin.trim().toLowerCase());
  return code ? AIRPORTS[code] : undefined;
}

/** Where a flight's times are read: the zone sent with the event, else the known airport's, else UTC. */
export function departurePlace(
  origin: string | null | undefined,
  departureTimeZone: string | null | undefined,
  locale: string,
): Place {
  const airport = airportOf(origin);
  const city = airport ? airport.city[languageOf(locale)] : null;
  if (departureTimeZone) {
    const sameZone = airport?.timeZone === departureTimeZone;
    return { timeZone: departureTimeZone, city: sameZone ? city : zoneCity(departureTimeZone, locale) };
  }
  if (airport) return { timeZone: airport.timeZone, city };
  return { timeZone: "UTC", city: null };
}

/** How a message names an airport or place from an event: a known airport in the message's language, else as sent. */
export function placeName(place: string | null | undefined, locale: string): string | null {
  if (!place) return null;
  return airportOf(place)?.name[languageOf(locale)] ?? place;
}
