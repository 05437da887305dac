import { CATALOG_LANGUAGE, type Language, languageOf, type PerLanguage } from "./languages.ts";

/** What a customer reads about a gesture, in one language. */
export interface GestureText {
  name: string;
  /** what the gesture is, with its article, ready for a sentence ("a meal voucher") */
  description: string;
  howToUse: string | null;
}

/**
 * The default catalog's texts in every language. English is the catalog's own language (the
 * `Gesture` row); the others are seeded as `GestureText` rows, which managers edit on the
 * policies page. French and German text that can reach an SMS stays within GSM-7 (no î, ç, „).
 * German descriptions are in the nominative: the German templates introduce them after a colon.
 */
export const DEFAULT_GESTURE_TEXTS: Record<string, PerLanguage<GestureText>> = {
  "meal-voucher-50": {
    en: {
      name: "Meal voucher (50)",
      description: "a meal voucher",
      howToUse: "Show the code at any cafe or restaurant in the airport today.",
    },
    fr: {
      name: "Bon repas (50)",
      description: "un bon repas",
      howToUse: "Montrez le code dans n'importe quel café ou restaurant de l'aéroport aujourd'hui.",
    },
    de: {
      name: "Essensgutschein (50)",
      description: "ein Essensgutschein",
      howToUse: "Zeigen Sie den Code heute in einem Café oder Restaurant am Flughafen vor.",
    },
  },
  "meal-voucher-15": {
    en: {
      name: "Snack voucher (15)",
      description: "a snack and drink voucher",
      howToUse: "Show the code at any cafe in the airport today.",
    },
    fr: {
      name: "Bon collation (15)",
      description: "un bon pour un en-cas et une boisson",
      howToUse: "Montrez le code dans n'importe quel café de l'aéroport aujourd'hui.",
    },
    de: {
      name: "Snackgutschein (15)",
      description: "ein Gutschein für einen Snack und ein Getränk",
      howToUse: "Zeigen Sie den Code heute in einem Café am Flughafen vor.",
    },
  },
  "credit-15": {
    en: {
      name: "Credit (15)",
      description: "a credit on your next order",
      howToUse: "It is applied at checkout when you enter the code.",
    },
    fr: {
      name: "Avoir (15)",
      description: "un avoir sur votre prochaine commande",
      howToUse: "Il est déduit au paiement quand vous saisissez le code.",
    },
    de: {
      name: "Gutschrift (15)",
      description: "eine Gutschrift für Ihre nächste Bestellung",
      howToUse: "Sie wird an der Kasse abgezogen, wenn Sie den Code eingeben.",
    },
  },
  "overnight-gift": {
    en: {
      name: "Handmade chocolates, shipped overnight",
      description: "a box of handmade chocolates and a thank-you card",
      howToUse: "It ships tonight by overnight courier, in its own parcel; there is nothing you need to do.",
    },
    fr: {
      name: "Chocolats artisanaux, envoi express",
      description: "un coffret de chocolats artisanaux et une carte de remerciement",
      howToUse: "Il part ce soir par coursier express, dans son propre colis : vous n'avez rien à faire.",
    },
    de: {
      name: "Handgemachte Pralinen, Expressversand",
      description: "eine Schachtel handgemachter Pralinen und eine Dankeskarte",
      howToUse: "Sie geht heute Abend per Expresskurier in einem eigenen Paket an Sie; Sie müssen nichts tun.",
    },
  },
  "insights-session": {
    en: {
      name: "Free insights session",
      description: "a free insights session",
      howToUse: "Reply with a time that suits you and it is booked.",
    },
    fr: {
      name: "Session d'analyse offerte",
      description: "une session d'analyse offerte",
      howToUse: "Répondez avec un créneau qui vous convient : il est aussitôt réservé.",
    },
    de: {
      name: "Kostenlose Analyse-Sitzung",
      description: "eine kostenlose Analyse-Sitzung",
      howToUse: "Antworten Sie mit einem Termin, der Ihnen passt, und er ist gebucht.",
    },
  },
};

/** A catalog gesture as stored: its own texts (the catalog's language) and its translations. */
export interface CatalogGesture extends GestureText {
  texts?: ReadonlyArray<GestureText & { language: string }>;
}

/**
 * A gesture's texts in a message's language: the translation when there is one, else the
 * catalog's own (English) texts — `fallback` says so, and the locale checker flags the message.
 */
export function gestureTextFor(
  g: CatalogGesture,
  locale: string,
): GestureText & { language: Language; fallback: boolean } {
  const lang = languageOf(locale);
  const own = { name: g.name, description: g.description, howToUse: g.howToUse };
  if (lang === CATALOG_LANGUAGE) return { ...own, language: lang, fallback: false };
  const t = g.texts?.find((x) => x.language === lang);
  if (t) return { name: t.name, description: t.description, howToUse: t.howToUse, language: lang, fallback: false };
  return { ...own, language: CATALOG_LANGUAGE, fallback: true };
}
