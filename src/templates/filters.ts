import type { Context } from "liquidjs";
import { languageOf } from "../locale/languages.ts";
import { clockIn, estimateWords, TIME_WORDS, toPlace, zoneLabel } from "./time-words.ts";

/** What liquidjs binds `this` to when it calls a filter (its own type is not exported). */
export interface FilterThis {
  context: Context;
}

/** Render-time settings the custom filters fall back to when a template does not pass them. */
export interface FilterDefaults {
  locale: string;
  timeZone: string;
}

/** Every filter output is charged to the render's memory budget, like liquidjs's own filters. */
const charge = (self: FilterThis, s: string): string => {
  self.context.memoryLimit.use(s.length);
  return s;
};

const optString = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function toInstant(v: unknown, filter: string): Date | null {
  if (v === null || v === undefined || v === "") return null;
  const d = v instanceof Date ? v : typeof v === "string" || typeof v === "number" ? new Date(v) : null;
  if (!d || Number.isNaN(d.getTime())) throw new Error(`${filter}: ${JSON.stringify(v)} is not an instant`);
  return d;
}

/** Building Intl formatters is costly; a locale × zone pair is formatted the same way every time. */
const formatterCache = new Map<string, { date: Pick<Intl.DateTimeFormat, "format">; time: Intl.DateTimeFormat }>();

function formatters(loc: string, tz: string) {
  const key = `${loc}|${tz}`;
  let cached = formatterCache.get(key);
  if (!cached) {
    const date = new Intl.DateTimeFormat(loc, { weekday: "long", day: "numeric", month: "long", timeZone: tz });
    let time = new Intl.DateTimeFormat(loc, { hour: "numeric", minute: "2-digit", timeZone: tz });
    // 24-hour locales write "09:15", not "9:15"
    const cycle = time.resolvedOptions().hourCycle;
    if (cycle === "h23" || cycle === "h24") {
      time = new Intl.DateTimeFormat(loc, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: tz });
    }
    cached = { date: languageOf(loc) === "fr" ? frenchFirstOfMonth(date) : date, time };
    if (formatterCache.size > 500) formatterCache.clear();
    formatterCache.set(key, cached);
  }
  return cached;
}

/** French writes the first of a month as an ordinal: "samedi 1er août", not "samedi 1 août". */
function frenchFirstOfMonth(fmt: Intl.DateTimeFormat): Pick<Intl.DateTimeFormat, "format"> {
  return {
    format: (d) =>
      fmt
        .formatToParts(d)
        .map((p) => (p.type === "day" && p.value === "1" ? "1er" : p.value))
        .join(""),
  };
}

const moneyCache = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: string, currency: string, whole: boolean): Intl.NumberFormat {
  const key = `${locale}|${currency}|${whole}`;
  let fmt = moneyCache.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
    });
    if (moneyCache.size > 500) moneyCache.clear();
    moneyCache.set(key, fmt);
  }
  return fmt;
}

/**
 * `{{ shipment.newEta | datetime }}` → "Tuesday 14 March, 15:00 (London time)" (fr: "mardi 14 mars à
 * 15:00 (heure de Londres)", de: "Dienstag, 14. März um 15:00 (Ortszeit London)"), in the customer's time zone and locale unless the template passes others.
 * The second argument is a zone name or a place (`flight.departure`: `{ timeZone, city }`): a flight's
 * times are read on the airport's clock, and every clock time names whose clock it is — the city,
 * else the UTC offset ("GMT+1").
 * Styles: "full" (default), "date" ("Tuesday 14 March"), "time" ("15:00 (London time)"),
 * "estimate" ("Friday 4 December, by midday": the part of the day, as a person says an ETA).
 * Date and time are formatted apart and joined by us, so the output does not depend on how a
 * given ICU version joins them ("at" vs ",").
 */
export function datetimeFilter(defaults: FilterDefaults) {
  return function datetime(this: FilterThis, v: unknown, style?: unknown, zone?: unknown, locale?: unknown) {
    const d = toInstant(v, "datetime");
    if (!d) return "";
    const place = toPlace(zone) ?? { timeZone: defaults.timeZone, city: null };
    const tz = place.timeZone;
    const loc = optString(locale) ?? defaults.locale;
    const { date, time } = formatters(loc, tz);
    const s = optString(style) ?? "full";
    const words = TIME_WORDS[languageOf(loc)];
    if (s === "date") return charge(this, date.format(d));
    if (s === "estimate") {
      const { hour, minute } = clockIn(d, tz);
      return charge(this, `${date.format(d)}${words.dateThenPart}${estimateWords(hour, minute, loc)}`);
    }
    const clock = `${time.format(d)} ${zoneLabel(d, place, loc)}`;
    if (s === "time") return charge(this, clock);
    if (s !== "full")
      throw new Error(`datetime: style must be "full", "date", "time" or "estimate", not ${JSON.stringify(s)}`);
    return charge(this, `${date.format(d)}${words.dateAtTime}${clock}`);
  };
}

/** `{{ gesture.amount | money: gesture.currency }}` → "€50" / "50 €"; whole amounts show no decimals. */
export function moneyFilter(defaults: FilterDefaults) {
  return function money(this: FilterThis, v: unknown, currency?: unknown, locale?: unknown) {
    if (v === null || v === undefined || v === "") return "";
    const amount = Number(v);
    if (!Number.isFinite(amount)) throw new Error(`money: ${JSON.stringify(v)} is not an amount`);
    const code = optString(currency);
    if (!code) throw new Error("money: a currency code is required, e.g. money: gesture.currency");
    return charge(
      this,
      moneyFormat(optString(locale) ?? defaults.locale, code, Number.isInteger(amount)).format(amount),
    );
  };
}

const HONORIFICS = new Set([
  "mr",
  "mrs",
  "ms",
  "mx",
  "miss",
  "dr",
  "prof",
  "sir",
  "dame",
  "m",
  "mme",
  "mlle",
  "me",
  "pr",
]);

/** `{{ customer.name | first_name }}` → "Sam" for "Dr. Sam Okafor"; an unusual name comes back whole. */
export function firstName(this: FilterThis, v: unknown): string {
  const words = String(v ?? "")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const first = words.find((w) => !HONORIFICS.has(w.toLowerCase().replace(/\.$/, "")));
  return charge(this, first ?? words.join(" "));
}
