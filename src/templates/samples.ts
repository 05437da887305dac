/**
 * Sample data per template kind and language: what previews show and what save-time validation
 * renders. Plain data (variables.ts checks it against the schemas). Text that can reach an SMS
 * is worded to stay within GSM-7 (é è à ù are in it; ç ê â î ô û are not), so the SMS
 * budgets are checked against realistic text.
 *
 * Reasons go through the same choice as a real message (`reasonFor`): the French and German
 * samples start from an ops system's English free text, so the preview shows what a customer
 * reads — the code's phrase in their language, or no reason at all — never the English.
 */
import type { Language } from "../locale/languages.ts";
import { reasonFor } from "../locale/reasons.ts";

/** What an ops system sent, read for a locale the way a message reads it. */
const why = (reason: string, reasonCode: string | null, locale: string) =>
  reasonFor({ reason, reasonCode }, locale)?.text ?? null;

export type SampleLocale = Language;

const en = {
  customer: { name: "Samira Okafor", firstName: "Samira", company: null },
  timeZone: "Europe/London",
  locale: "en-GB",
  complainedFirst: false,
  optOutText: "Reply STOP to opt out",
};
const fr = {
  customer: { name: "Camille Martin", firstName: "Camille", company: null },
  timeZone: "Europe/Paris",
  locale: "fr-FR",
  complainedFirst: false,
  optOutText: "STOP au 36180",
};
const noGesture = { kind: "none" as const };
/** who signs flight messages (settings name one per kind) */
const flightDesk = {
  name: "Claire Dubois",
  email: "claire.dubois@example.com",
  callBy: null,
  role: "Customer care, flights",
};
const flightDeskFr = { ...flightDesk, role: "Service client, vols" };
const london = { timeZone: "Europe/London", city: "London" };
const orly = { timeZone: "Europe/Paris", city: "Paris" };

const nadia = { name: "Nadia Brooks", email: "nadia.brooks@example.com", callBy: "2026-03-12T16:00:00Z" };
const julien = { name: "Julien Moreau", email: "julien.moreau@example.com", callBy: "2026-03-12T16:00:00Z" };
const sarah = { name: "Sarah Lee", email: "sarah.lee@example.com", callBy: "2026-03-12T15:00:00Z" };
const claire = { name: "Claire Dubois", email: "claire.dubois@example.com", callBy: "2026-03-12T15:00:00Z" };
/** after the correction went out, for the follow-up */
const sarahLater = { ...sarah, callBy: "2026-03-16T15:00:00Z" };
const claireLater = { ...claire, callBy: "2026-03-16T15:00:00Z" };

const acme = { name: "Samira Okafor", firstName: "Samira", company: "Northwind Retail" };
const acmeFr = { name: "Camille Martin", firstName: "Camille", company: "Boulangeries Martin" };

const enFr = {
  shipment_delay: {
    en: {
      ...en,
      disruption: { reason: "a storm at the sorting hub" },
      gesture: {
        kind: "complimentary_item" as const,
        description: "peonies for the party, sent overnight",
        amount: 45,
        currency: "GBP",
        code: null,
        howToUse: "It ships tonight for delivery tomorrow morning; there is nothing you need to do.",
        pendingApproval: false,
      },
      contact: nadia,
      shipment: {
        orderId: "A-1042",
        promisedBy: "2026-03-13T18:00:00Z",
        newEta: "2026-03-17T15:00:00Z",
        trackingUrl: "https://track.example.com/A-1042",
        items: [
          { name: "Linen tablecloth", quantity: 1 },
          { name: "Party lanterns", quantity: 6 },
        ],
        carrier: "ParcelCo",
        occasion: "Maya's birthday party",
      },
    },
    fr: {
      ...fr,
      disruption: { reason: "un orage au centre de tri" },
      gesture: {
        kind: "complimentary_item" as const,
        description: "des pivoines livrées en express",
        amount: 45,
        currency: "EUR",
        code: null,
        howToUse: "Elles partent ce soir et arrivent demain matin : vous n'avez rien à faire.",
        pendingApproval: false,
      },
      contact: julien,
      shipment: {
        orderId: "A-1042",
        promisedBy: "2026-03-13T18:00:00Z",
        newEta: "2026-03-17T15:00:00Z",
        trackingUrl: "https://track.example.com/A-1042",
        items: [
          { name: "Nappe en lin", quantity: 1 },
          { name: "Lampions", quantity: 6 },
        ],
        carrier: "ParcelCo",
        occasion: "l'anniversaire de Maya",
      },
    },
  },
  flight_cancelled: {
    en: {
      ...en,
      disruption: { reason: "a crew shortage" },
      gesture: {
        kind: "voucher" as const,
        description: "a meal voucher",
        amount: 50,
        currency: "EUR",
        code: "MEAL-7F3K",
        howToUse: "Show the code at any cafe or restaurant in the airport today.",
        pendingApproval: false,
      },
      contact: flightDesk,
      flight: {
        number: "MG 304",
        date: "2026-03-17T09:15:00Z",
        origin: "London Gatwick",
        destination: "Lyon",
        departure: london,
        rebookedDeparture: london,
        bookingReference: "QX7PLM",
        rebooked: { number: "MG 306", departsAt: "2026-03-17T17:40:00Z" },
        rebookingUrl: "https://fly.example.com/rebook/QX7PLM",
      },
    },
    fr: {
      ...fr,
      disruption: { reason: why("a crew shortage", "crew_shortage", "fr-FR") },
      gesture: {
        kind: "voucher" as const,
        description: "un bon repas",
        amount: 50,
        currency: "EUR",
        code: "MEAL-7F3K",
        howToUse: "Montrez le code dans n'importe quel café ou restaurant de l'aéroport aujourd'hui.",
        pendingApproval: false,
      },
      contact: flightDeskFr,
      flight: {
        number: "MG 304",
        date: "2026-03-17T09:15:00Z",
        origin: "Paris Orly",
        destination: "Lisbonne",
        departure: orly,
        rebookedDeparture: orly,
        bookingReference: "QX7PLM",
        rebooked: { number: "MG 306", departsAt: "2026-03-17T17:40:00Z" },
        rebookingUrl: "https://fly.example.com/rebook/QX7PLM",
      },
    },
  },
  flight_delayed: {
    en: {
      ...en,
      disruption: { reason: "a late incoming aircraft" },
      gesture: {
        kind: "voucher" as const,
        description: "a meal voucher",
        amount: 15,
        currency: "GBP",
        code: "MEAL-2H9D",
        howToUse: "Show the code at any cafe in the terminal.",
        pendingApproval: false,
      },
      contact: flightDesk,
      flight: {
        number: "MG 512",
        date: "2026-03-17T12:30:00Z",
        origin: "London Gatwick",
        destination: "Nice",
        departure: london,
        bookingReference: "LM4RTZ",
        rebookingUrl: "https://fly.example.com/rebook/LM4RTZ",
        status: "delayed" as const,
        newDepartureAt: "2026-03-17T15:05:00Z",
        divertedTo: null,
        newArrivalAt: null,
        onwardTravel: null,
      },
    },
    fr: {
      ...fr,
      disruption: { reason: why("the incoming aircraft was late", "late_aircraft", "fr-FR") },
      gesture: {
        kind: "voucher" as const,
        description: "un bon repas",
        amount: 15,
        currency: "EUR",
        code: "MEAL-2H9D",
        howToUse: "Montrez le code dans n'importe quel café du terminal.",
        pendingApproval: false,
      },
      contact: flightDeskFr,
      flight: {
        number: "MG 512",
        date: "2026-03-17T12:30:00Z",
        origin: "Paris Orly",
        destination: "Nice",
        departure: orly,
        bookingReference: "LM4RTZ",
        rebookingUrl: "https://fly.example.com/rebook/LM4RTZ",
        status: "delayed" as const,
        newDepartureAt: "2026-03-17T15:05:00Z",
        divertedTo: null,
        newArrivalAt: null,
        onwardTravel: null,
      },
    },
  },
  deliverable_error: {
    en: {
      ...en,
      customer: acme,
      disruption: { reason: null },
      gesture: {
        kind: "free_session" as const,
        description: "a free 60-minute insights session",
        amount: null,
        currency: null,
        code: "INSIGHT-8K2P",
        howToUse: "Reply with a time that suits you, or quote the code when you book.",
        pendingApproval: false,
      },
      contact: sarah,
      deliverable: {
        title: "Q1 Store Performance Report",
        deliveredAt: "2026-03-10T09:00:00Z",
        issues: ["Store 14's March revenue was counted twice", "The margin chart used last year's costs"],
        correctedBy: "2026-03-13T12:00:00Z",
        prevention: "every figure now goes through a second, independent check before anything leaves us",
        url: null,
      },
    },
    fr: {
      ...fr,
      customer: acmeFr,
      disruption: { reason: null },
      gesture: {
        kind: "free_session" as const,
        description: "une session d'analyse gratuite de 60 minutes",
        amount: null,
        currency: null,
        code: "INSIGHT-8K2P",
        howToUse: "Répondez avec un créneau qui vous convient, ou citez le code en réservant.",
        pendingApproval: false,
      },
      contact: claire,
      deliverable: {
        title: "Rapport de performance T1",
        deliveredAt: "2026-03-10T09:00:00Z",
        issues: [
          "Le chiffre d'affaires de mars du magasin 14 a été compté deux fois",
          "Le graphique de marge utilisait les coûts de l'an dernier",
        ],
        correctedBy: "2026-03-13T12:00:00Z",
        prevention: "chaque chiffre passe désormais par une seconde vérification indépendante avant envoi",
        url: null,
      },
    },
  },
  followup_shipment_delivered: {
    en: {
      ...en,
      disruption: { reason: null },
      gesture: noGesture,
      contact: nadia,
      shipment: {
        orderId: "A-1042",
        deliveredAt: "2026-03-17T14:52:00Z",
        promisedBy: "2026-03-13T18:00:00Z",
        late: true,
        occasion: "Maya's birthday party",
        trackingUrl: null,
      },
    },
    fr: {
      ...fr,
      disruption: { reason: null },
      gesture: noGesture,
      contact: julien,
      shipment: {
        orderId: "A-1042",
        deliveredAt: "2026-03-17T14:52:00Z",
        promisedBy: "2026-03-13T18:00:00Z",
        late: true,
        occasion: "l'anniversaire de Maya",
        trackingUrl: null,
      },
    },
  },
  followup_flight: {
    en: {
      ...en,
      disruption: { reason: null },
      gesture: noGesture,
      contact: flightDesk,
      flight: {
        number: "MG 306",
        origin: "London Gatwick",
        destination: "Lyon",
        departure: london,
        rebooked: true,
        departedAt: "2026-03-17T17:52:00Z",
        expensesUrl: "https://fly.example.com/expenses/QX7PLM",
      },
    },
    fr: {
      ...fr,
      disruption: { reason: null },
      gesture: noGesture,
      contact: flightDeskFr,
      flight: {
        number: "MG 306",
        origin: "Paris Orly",
        destination: "Lisbonne",
        departure: orly,
        rebooked: true,
        departedAt: "2026-03-17T17:52:00Z",
        expensesUrl: "https://fly.example.com/expenses/QX7PLM",
      },
    },
  },
  followup_deliverable_corrected: {
    en: {
      ...en,
      customer: acme,
      disruption: { reason: null },
      gesture: noGesture,
      contact: sarahLater,
      deliverable: {
        title: "Q1 Store Performance Report",
        correctedAt: "2026-03-13T10:30:00Z",
        issues: ["Store 14's March revenue was counted twice", "The margin chart used last year's costs"],
        prevention: "every figure now goes through a second, independent check before anything leaves us",
        url: "https://clients.example.com/reports/q1-store-performance-v2",
      },
    },
    fr: {
      ...fr,
      customer: acmeFr,
      disruption: { reason: null },
      gesture: noGesture,
      contact: claireLater,
      deliverable: {
        title: "Rapport de performance T1",
        correctedAt: "2026-03-13T10:30:00Z",
        issues: [
          "Le chiffre d'affaires de mars du magasin 14 a été compté deux fois",
          "Le graphique de marge utilisait les coûts de l'an dernier",
        ],
        prevention: "chaque chiffre passe désormais par une seconde vérification indépendante avant envoi",
        url: "https://clients.example.com/reports/q1-store-performance-v2",
      },
    },
  },
  gesture_confirmed: {
    en: {
      ...en,
      gesture: {
        kind: "complimentary_item" as const,
        description: "a silk tie and pocket square, shipped overnight",
        amount: 120,
        currency: "GBP",
        code: null,
        howToUse: "It leaves our warehouse tonight and reaches you tomorrow by noon.",
        pendingApproval: false,
      },
      contact: nadia,
      disruption: { reason: "a storm at the sorting hub", subject: "your order A-1042" },
      arrivesBy: "2026-03-13T12:00:00Z",
    },
    fr: {
      ...fr,
      gesture: {
        kind: "complimentary_item" as const,
        description: "une cravate en soie et sa pochette, en envoi express",
        amount: 120,
        currency: "EUR",
        code: null,
        howToUse: "Elle part de notre entrepot ce soir et arrive demain avant midi.",
        pendingApproval: false,
      },
      contact: julien,
      disruption: { reason: "un orage au centre de tri", subject: "votre commande A-1042" },
      arrivesBy: "2026-03-13T12:00:00Z",
    },
  },
  update_still_unresolved: {
    en: {
      ...en,
      gesture: {
        kind: "credit" as const,
        description: "a credit on your account",
        amount: 10,
        currency: "GBP",
        code: "CREDIT-5T1R",
        howToUse: "It is applied to your next order automatically.",
        pendingApproval: false,
      },
      contact: nadia,
      disruption: {
        reason: "a storm at the sorting hub",
        subject: "your order A-1042",
        promisedAt: "2026-03-17T15:00:00Z",
        nextUpdateBy: "2026-03-18T12:00:00Z",
        latestNews: "The hub has reopened and your parcel leaves this morning",
      },
    },
    fr: {
      ...fr,
      gesture: {
        kind: "credit" as const,
        description: "un avoir sur votre compte",
        amount: 10,
        currency: "EUR",
        code: "CREDIT-5T1R",
        howToUse: "Il s'applique automatiquement à votre prochaine commande.",
        pendingApproval: false,
      },
      contact: julien,
      disruption: {
        reason: "un orage au centre de tri",
        subject: "votre commande A-1042",
        promisedAt: "2026-03-17T15:00:00Z",
        nextUpdateBy: "2026-03-18T12:00:00Z",
        latestNews: "Le centre a rouvert et votre colis part ce matin",
      },
    },
  },
};

const de = {
  customer: { name: "Jonas Weber", firstName: "Jonas", company: null },
  timeZone: "Europe/Berlin",
  locale: "de-DE",
  complainedFirst: false,
  optOutText: "STOP: keine SMS mehr",
};
const lena = { name: "Lena Fischer", email: "lena.fischer@example.com", callBy: "2026-03-12T16:00:00Z" };
const lenaLater = { ...lena, callBy: "2026-03-16T15:00:00Z" };
const flightDeskDe = { ...flightDesk, role: "Kundenservice, Flüge" };
const frankfurt = { timeZone: "Europe/Berlin", city: "Frankfurt" };
const acmeDe = { name: "Jonas Weber", firstName: "Jonas", company: "Bäckerei Weber GmbH" };
const issuesDe = [
  "Der Märzumsatz von Filiale 14 wurde doppelt gezählt",
  "Die Margengrafik nutzte die Kosten des Vorjahres",
];
const preventionDe = "jede Zahl geht jetzt vor dem Versand durch eine zweite, unabhängige Prüfung";

const deSamples = {
  shipment_delay: {
    ...de,
    // English free text with a code: a German customer reads the code's phrase
    disruption: { reason: why("a storm at the sorting hub", "weather", "de-DE") },
    gesture: {
      kind: "complimentary_item" as const,
      description: "ein Strauß Pfingstrosen für die Feier, per Expressversand",
      amount: 45,
      currency: "EUR",
      code: null,
      howToUse: "Er geht heute Abend los und kommt morgen früh an; Sie müssen nichts tun.",
      pendingApproval: false,
    },
    contact: lena,
    shipment: {
      orderId: "A-1042",
      promisedBy: "2026-03-13T18:00:00Z",
      newEta: "2026-03-17T15:00:00Z",
      trackingUrl: "https://track.example.com/A-1042",
      items: [
        { name: "Leinentischdecke", quantity: 1 },
        { name: "Lampions", quantity: 6 },
      ],
      carrier: "ParcelCo",
      occasion: "Mayas Geburtstagsfeier",
    },
  },
  flight_cancelled: {
    ...de,
    disruption: { reason: why("a crew shortage", "crew_shortage", "de-DE") },
    gesture: {
      kind: "voucher" as const,
      description: "ein Essensgutschein",
      amount: 50,
      currency: "EUR",
      code: "MEAL-7F3K",
      howToUse: "Zeigen Sie den Code heute in einem Café oder Restaurant am Flughafen vor.",
      pendingApproval: false,
    },
    contact: flightDeskDe,
    flight: {
      number: "MG 304",
      date: "2026-03-17T09:15:00Z",
      origin: "Frankfurt",
      destination: "Lissabon",
      departure: frankfurt,
      rebookedDeparture: frankfurt,
      bookingReference: "QX7PLM",
      rebooked: { number: "MG 306", departsAt: "2026-03-17T17:40:00Z" },
      rebookingUrl: "https://fly.example.com/rebook/QX7PLM",
    },
  },
  flight_delayed: {
    ...de,
    // English free text and no code: a German customer reads no reason, and the message still reads well
    disruption: { reason: why("the incoming aircraft was late", null, "de-DE") },
    gesture: {
      kind: "voucher" as const,
      description: "ein Snackgutschein",
      amount: 15,
      currency: "EUR",
      code: "MEAL-2H9D",
      howToUse: "Zeigen Sie den Code in einem Café im Terminal vor.",
      pendingApproval: false,
    },
    contact: flightDeskDe,
    flight: {
      number: "MG 512",
      date: "2026-03-17T12:30:00Z",
      origin: "Frankfurt",
      destination: "Nizza",
      departure: frankfurt,
      bookingReference: "LM4RTZ",
      rebookingUrl: "https://fly.example.com/rebook/LM4RTZ",
      status: "delayed" as const,
      newDepartureAt: "2026-03-17T15:05:00Z",
      divertedTo: null,
      newArrivalAt: null,
      onwardTravel: null,
    },
  },
  deliverable_error: {
    ...de,
    customer: acmeDe,
    disruption: { reason: null },
    gesture: {
      kind: "free_session" as const,
      description: "eine kostenlose Analyse-Sitzung von 60 Minuten",
      amount: null,
      currency: null,
      code: "INSIGHT-8K2P",
      howToUse: "Antworten Sie mit einem Termin, der Ihnen passt, oder nennen Sie den Code bei der Buchung.",
      pendingApproval: false,
    },
    contact: lena,
    deliverable: {
      title: "Filialbericht Q1",
      deliveredAt: "2026-03-10T09:00:00Z",
      issues: issuesDe,
      correctedBy: "2026-03-13T12:00:00Z",
      prevention: preventionDe,
      url: null,
    },
  },
  followup_shipment_delivered: {
    ...de,
    disruption: { reason: null },
    gesture: noGesture,
    contact: lena,
    shipment: {
      orderId: "A-1042",
      deliveredAt: "2026-03-17T14:52:00Z",
      promisedBy: "2026-03-13T18:00:00Z",
      late: true,
      occasion: "Mayas Geburtstagsfeier",
      trackingUrl: null,
    },
  },
  followup_flight: {
    ...de,
    disruption: { reason: null },
    gesture: noGesture,
    contact: flightDeskDe,
    flight: {
      number: "MG 306",
      origin: "Frankfurt",
      destination: "Lissabon",
      departure: frankfurt,
      rebooked: true,
      departedAt: "2026-03-17T17:52:00Z",
      expensesUrl: "https://fly.example.com/expenses/QX7PLM",
    },
  },
  followup_deliverable_corrected: {
    ...de,
    customer: acmeDe,
    disruption: { reason: null },
    gesture: noGesture,
    contact: lenaLater,
    deliverable: {
      title: "Filialbericht Q1",
      correctedAt: "2026-03-13T10:30:00Z",
      issues: issuesDe,
      prevention: preventionDe,
      url: "https://clients.example.com/reports/q1-store-performance-v2",
    },
  },
  gesture_confirmed: {
    ...de,
    gesture: {
      kind: "complimentary_item" as const,
      description: "eine Seidenkrawatte mit Einstecktuch, per Expressversand",
      amount: 120,
      currency: "EUR",
      code: null,
      howToUse: "Sie verlässt unser Lager heute Abend und ist morgen bis Mittag bei Ihnen.",
      pendingApproval: false,
    },
    contact: lena,
    disruption: { reason: why("a storm at the sorting hub", "weather", "de-DE"), subject: "Ihre Bestellung A-1042" },
    arrivesBy: "2026-03-13T12:00:00Z",
  },
  update_still_unresolved: {
    ...de,
    gesture: {
      kind: "credit" as const,
      description: "eine Gutschrift auf Ihrem Konto",
      amount: 10,
      currency: "EUR",
      code: "CREDIT-5T1R",
      howToUse: "Sie wird automatisch mit Ihrer nächsten Bestellung verrechnet.",
      pendingApproval: false,
    },
    contact: lena,
    disruption: {
      reason: why("a storm at the sorting hub", "weather", "de-DE"),
      subject: "Ihre Bestellung A-1042",
      promisedAt: "2026-03-17T15:00:00Z",
      nextUpdateBy: "2026-03-18T12:00:00Z",
      latestNews: "Das Zentrum ist wieder offen, Ihr Paket geht heute los",
    },
  },
};

type Kind = keyof typeof enFr;
/** Sample data per kind and language. */
export const samples = Object.fromEntries(
  (Object.keys(enFr) as Kind[]).map((k) => [k, { ...enFr[k], de: deSamples[k] }]),
) as { [K in Kind]: (typeof enFr)[K] & { de: (typeof deSamples)[K] } };
