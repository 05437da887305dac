import type { PerLanguage } from "./languages.ts";

/**
 * The words makegood itself puts into a message's variables (not the templates' own words):
 * what a disruption is about, ready for a sentence, and the commitments it makes. German subjects
 * read the same in the nominative and the accusative ("Ihre Bestellung", "Flug", "Ihr Dokument"),
 * which is how the German templates use them.
 */
export const MESSAGE_WORDS: PerLanguage<{
  order: string;
  flight: string;
  document: (title: string) => string;
  delivery: string;
  /** deliverable errors: what changes so it does not happen again (promised in the apology) */
  preventionPromised: string;
  /** deliverable corrected: what changed */
  preventionDone: string;
  /** a diverted flight whose event names no airport */
  anotherAirport: string;
}> = {
  en: {
    order: "your order",
    flight: "flight",
    document: (t) => `your "${t}"`,
    delivery: "your delivery",
    preventionPromised: "we are adding a second review before anything is sent to you",
    preventionDone: "every report now gets a second review before it is sent",
    anotherAirport: "another airport",
  },
  fr: {
    order: "votre commande",
    flight: "le vol",
    document: (t) => `votre document « ${t} »`,
    delivery: "votre livraison",
    preventionPromised: "nous ajoutons une seconde relecture avant tout envoi",
    preventionDone: "chaque rapport est désormais relu une seconde fois avant envoi",
    anotherAirport: "un autre aéroport",
  },
  de: {
    order: "Ihre Bestellung",
    flight: "Flug",
    document: (t) => `Ihr Dokument "${t}"`,
    delivery: "Ihre Lieferung",
    preventionPromised: "wir führen eine zweite Prüfung ein, bevor etwas an Sie geht",
    preventionDone: "jeder Bericht wird jetzt vor dem Versand ein zweites Mal geprüft",
    anotherAirport: "ein anderer Flughafen",
  },
};
