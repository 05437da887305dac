import type { PerLanguage } from "./languages.ts";

/**
 * Why something happened, as a documented code an ops system can send (`reasonCode`) beside or
 * instead of free text (`reason`). Each code has a phrase per language, written to be read in a
 * sentence ("What happened: a crew shortage."): a noun phrase with its article. German phrases are
 * in the nominative, which is what the German templates read them in ("Der Grund: …").
 */
export const REASON_PHRASES = {
  weather: { en: "bad weather", fr: "de mauvaises conditions météo", de: "schlechtes Wetter" },
  crew_shortage: { en: "a crew shortage", fr: "un manque d'équipage", de: "ein Mangel an Flugpersonal" },
  technical: { en: "a technical fault", fr: "une panne technique", de: "ein technischer Defekt" },
  air_traffic_control: {
    en: "air traffic control restrictions",
    fr: "des restrictions du contrôle aérien",
    de: "Einschränkungen der Flugsicherung",
  },
  late_aircraft: {
    en: "the late arrival of the incoming aircraft",
    fr: "l'arrivée tardive de l'avion",
    de: "die verspätete Ankunft der Maschine",
  },
  strike: { en: "a strike", fr: "une grève", de: "ein Streik" },
  carrier_delay: {
    en: "a delay at the carrier",
    fr: "un retard chez le transporteur",
    de: "eine Verzögerung beim Paketdienst",
  },
  vehicle_breakdown: {
    en: "a breakdown of the delivery van",
    fr: "une panne du véhicule de livraison",
    de: "eine Panne des Lieferwagens",
  },
  hub_closure: {
    en: "the closure of the carrier's sorting hub",
    fr: "la fermeture du centre de tri du transporteur",
    de: "die Schließung des Verteilzentrums",
  },
  customs: { en: "a hold at customs", fr: "un blocage en douane", de: "eine Verzögerung beim Zoll" },
  stock_shortage: {
    en: "an item that was out of stock",
    fr: "un article en rupture de stock",
    de: "ein Artikel, der nicht vorrätig war",
  },
  address_issue: {
    en: "a problem with the delivery address",
    fr: "un problème d'adresse de livraison",
    de: "ein Problem mit der Lieferadresse",
  },
  qa_failure: {
    en: "a check that missed the errors",
    fr: "une vérification qui a laissé passer les erreurs",
    de: "eine Prüfung, die die Fehler übersehen hat",
  },
  data_error: {
    en: "an error in the source data",
    fr: "une erreur dans les données sources",
    de: "ein Fehler in den Quelldaten",
  },
} as const satisfies Record<string, PerLanguage>;

export type ReasonCode = keyof typeof REASON_PHRASES;
export const REASON_CODES = Object.keys(REASON_PHRASES) as [ReasonCode, ...ReasonCode[]];

export const isReasonCode = (s: unknown): s is ReasonCode => typeof s === "string" && Object.hasOwn(REASON_PHRASES, s);
