import type { Place } from "../templates/time-words.ts";
import { zoneCity } from "../templates/time-words.ts";

/**
 * The airports makegood knows by name: IATA code → IANA zone and city (en, fr). Flight times are
 * shown on the departure airport's clock, with its city named ("14:15 (London time)"), so two
 * passengers on one flight read the same time whatever zone they live in.
 *
 * An event may name the zone itself (`departureTimeZone`); otherwise `origin` is looked up here,
 * by code ("LGW") or by name ("London Gatwick"). An airport not listed, and no zone sent: the time
 * is shown in UTC with its offset named ("14:15 (GMT)"), never in the customer's own zone.
 * Add the airports your flights use.
 */
export const AIRPORTS: Record<string, { name: string; timeZone: string; city: { en: string; fr: string } }> = {
  LGW: { name: "London Gatwick", timeZone: "Europe/London", city: { en: "London", fr: "Londres" } },
  LHR: { name: "London Heathrow", timeZone: "Europe/London", city: { en: "London", fr: "Londres" } },
  MAN: { name: "Manchester", timeZone: "Europe/London", city: { en: "Manchester", fr: "Manchester" } },
  EDI: { name: "Edinburgh", timeZone: "Europe/London", city: { en: "Edinburgh", fr: "Édimbourg" } },
  CDG: { name: "Paris Charles de Gaulle", timeZone: "Europe/Paris", city: { en: "Paris", fr: "Paris" } },
  ORY: { name: "Paris Orly", timeZone: "Europe/Paris", city: { en: "Paris", fr: "Paris" } },
  LYS: { name: "Lyon", timeZone: "Europe/Paris", city: { en: "Lyon", fr: "Lyon" } },
  NCE: { name: "Nice", timeZone: "Europe/Paris", city: { en: "Nice", fr: "Nice" } },
  AMS: { name: "Amsterdam", timeZone: "Europe/Amsterdam", city: { en: "Amsterdam", fr: "Amsterdam" } },
  JFK: { name: "New York JFK", timeZone: "America/New_York", city: { en: "New York", fr: "New York" } },
};

const byName = new Map(Object.entries(AIRPORTS).map(([code, a]) => [a.name.toLowerCase(), code]));

/** The airport an `origin` names, by IATA code or by name. */
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
  const fr = locale.toLowerCase().startsWith("fr");
  const airport = airportOf(origin);
  const city = airport ? (fr ? airport.city.fr : airport.city.en) : null;
  if (departureTimeZone) {
    const sameZone = airport?.timeZone === departureTimeZone;
    return { timeZone: departureTimeZone, city: sameZone ? city : zoneCity(departureTimeZone, locale) };
  }
  if (airport) return { timeZone: airport.timeZone, city };
  return { timeZone: "UTC", city: null };
}
