/**
 * The languages makegood writes to customers in. A customer's locale ("fr-FR") is read as its
 * language ("fr"); every word a customer reads — templates, gesture texts, reason phrases, time
 * words, city names — exists once per language. Adding one: its templates under templates/<lang>/,
 * then every table typed `PerLanguage` below fails to compile until it has the new language.
 */
export const LANGUAGES = ["en", "fr", "de"] as const;
export type Language = (typeof LANGUAGES)[number];

/** A word or phrase in every language (the compiler names a missing one). */
export type PerLanguage<T = string> = Record<Language, T>;

/** The language the gesture catalog's own columns are written in; other languages are translations. */
export const CATALOG_LANGUAGE: Language = "en";

export const isLanguage = (s: string): s is Language => (LANGUAGES as readonly string[]).includes(s);

/** The language of a locale ("fr-FR" → "fr"); an unknown one reads as English. */
export function languageOf(locale: string): Language {
  const base = locale.slice(0, 2).toLowerCase();
  return isLanguage(base) ? base : "en";
}

export const LANGUAGE_NAMES: PerLanguage = { en: "English", fr: "French", de: "German" };
