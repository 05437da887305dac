/**
 * Times as a person says them to a customer: every clock time names whose clock it is
 * ("15:15 (Lyon time)", "15:15 (heure de Lyon)", "15:15 (Ortszeit Lyon)", "14:15 (GMT)"), and an estimate is a part of
 * a day, not a minute ("Friday 4 December, by midday"). One place for these words per locale.
 */
import { languageOf, type PerLanguage } from "../locale/languages.ts";

/** Where a time is read: an IANA zone and, when known, the city whose clock it is (in the message's language). */
export interface Place {
  timeZone: string;
  city: string | null;
}

/** The words around a date and a time, per language. */
export const TIME_WORDS: PerLanguage<{
  /** between the date and the clock time: "Tuesday 14 March, 15:00" / "mardi 14 mars à 15:00" */
  dateAtTime: string;
  /** between the date and the part of the day of an estimate */
  dateThenPart: string;
  byMidday: string;
  afternoon: string;
  evening: string;
  /** whose clock: "(London time)", "(heure de Londres)", "(Ortszeit London)" */
  zone: (city: string) => string;
}> = {
  en: {
    dateAtTime: ", ",
    dateThenPart: ", ",
    byMidday: "by midday",
    afternoon: "in the afternoon",
    evening: "in the evening",
    zone: (city) => `(${city} time)`,
  },
  fr: {
    dateAtTime: " à ",
    dateThenPart: " ",
    byMidday: "d'ici midi",
    afternoon: "dans l'après-midi",
    evening: "dans la soirée",
    zone: (city) => (/^[aeiouyhâéèêîôû]/i.test(city) ? `(heure d'${city})` : `(heure de ${city})`),
  },
  de: {
    dateAtTime: " um ",
    dateThenPart: ", ",
    byMidday: "bis Mittag",
    afternoon: "am Nachmittag",
    evening: "am Abend",
    zone: (city) => `(Ortszeit ${city})`,
  },
};

/** The city of a zone when the zone is all we have ("Europe/London" → "London"; fr "Londres", de "London"). */
const ZONE_CITIES: Record<string, Partial<PerLanguage>> = {
  London: { fr: "Londres" },
  Brussels: { fr: "Bruxelles", de: "Brüssel" },
  Lisbon: { fr: "Lisbonne", de: "Lissabon" },
  Rome: { de: "Rom" },
  Vienna: { fr: "Vienne", de: "Wien" },
  Copenhagen: { fr: "Copenhague", de: "Kopenhagen" },
  Athens: { fr: "Athènes", de: "Athen" },
  Warsaw: { fr: "Varsovie", de: "Warschau" },
  Prague: { de: "Prag" },
  Zurich: { fr: "Zurich", de: "Zürich" },
};

export function zoneCity(timeZone: string, locale: string): string | null {
  const last = timeZone.split("/").at(-1);
  if (!timeZone.includes("/") || !last || /^(GMT|UTC|Etc)/i.test(timeZone)) return null;
  const city = last.replace(/_/g, " ");
  return ZONE_CITIES[city]?.[languageOf(locale)] ?? city;
}

const offsetCache = new Map<string, Intl.DateTimeFormat>();
/** "GMT+1", "UTC+1" (fr), "GMT" for a zero offset. */
function offsetName(d: Date, timeZone: string, locale: string): string {
  const key = `${locale}|${timeZone}`;
  let fmt = offsetCache.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "shortOffset", hour: "numeric" });
    if (offsetCache.size > 500) offsetCache.clear();
    offsetCache.set(key, fmt);
  }
  const name = fmt.formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? "UTC";
  return name.replace(/([A-Z]+)\+0$/, "$1");
}

/** "(Lyon time)" / "(heure de Lyon)" / "(Ortszeit Lyon)", else the offset: "(GMT+1)". */
export function zoneLabel(d: Date, place: Place, locale: string): string {
  const city = place.city ?? zoneCity(place.timeZone, locale);
  if (!city) return `(${offsetName(d, place.timeZone, locale)})`;
  return TIME_WORDS[languageOf(locale)].zone(city);
}

/**
 * The part of the day an estimate falls in, as a promise a person can keep:
 * by midday, in the afternoon (until 18:00), in the evening.
 */
export function estimateWords(hour: number, minute: number, locale: string): string {
  const w = TIME_WORDS[languageOf(locale)];
  if (hour < 12 || (hour === 12 && minute === 0)) return w.byMidday;
  if (hour < 18 || (hour === 18 && minute === 0)) return w.afternoon;
  return w.evening;
}

/** The hour and minute of an instant on a zone's clock. */
const clockCache = new Map<string, Intl.DateTimeFormat>();
export function clockIn(d: Date, timeZone: string): { hour: number; minute: number } {
  let fmt = clockCache.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    if (clockCache.size > 500) clockCache.clear();
    clockCache.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(d);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: part("hour"), minute: part("minute") };
}

/** A place given to a filter: a zone name or `{ timeZone, city }` (an object from the template's variables). */
export function toPlace(v: unknown): Place | undefined {
  if (typeof v === "string" && v !== "") return { timeZone: v, city: null };
  if (v && typeof v === "object" && typeof (v as Place).timeZone === "string") {
    const city = (v as Place).city;
    return { timeZone: (v as Place).timeZone, city: typeof city === "string" && city !== "" ? city : null };
  }
  return undefined;
}
