import type { ResolutionFacts } from "../detection/index.ts";
import { languageOf } from "../locale/languages.ts";
import { MESSAGE_WORDS } from "../locale/message-words.ts";
import { quotable, reasonFor } from "../locale/reasons.ts";
import type { TemplateKind } from "../templates/variables.ts";
import { departurePlace, placeName } from "./airports.ts";
import type { Signer } from "./contacts.ts";
import { deliverablePromises, overnightArrival } from "./promises.ts";

/** What the template variables are built from: rows as loaded, facts as stored on the disruption. */
export interface MessageFacts {
  kind: TemplateKind;
  disruption: {
    kind: string;
    reason: string;
    facts: Record<string, unknown>;
    complainedFirst: boolean;
    resolvedAt: Date | null;
    /** JSON of the resolving event's facts (ResolutionFacts), when resolved */
    resolution: string | null;
    followUpDueAt: Date | null;
    detectedAt: Date;
    signalAt: Date;
  };
  /** who signs (contacts.ts) */
  signer: Signer;
  customer: {
    name: string;
    timeZone: string;
    locale: string;
    accountLeadName: string | null;
    accountLeadEmail: string | null;
  };
  /** `description` and `howToUse` already in the customer's language (src/locale/gesture-texts.ts) */
  gesture: {
    kind: string;
    description: string;
    value: number;
    currency: string;
    code: string | null;
    howToUse: string | null;
    pending: boolean;
  } | null;
  optOutText: string;
  now: Date;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);
const iso = (v: unknown): string | null =>
  typeof v === "string" || v instanceof Date ? new Date(v).toISOString() : null;
const HOUR = 3_600_000;

function resolutionOf(m: MessageFacts): ResolutionFacts | null {
  try {
    return m.disruption.resolution ? (JSON.parse(m.disruption.resolution) as ResolutionFacts) : null;
  } catch {
    return null;
  }
}

/**
 * The template variables for one message: every specific the customer should read, nothing they
 * must ask for, each taken from the event that told it (a follow-up's from the resolving event).
 */
export function messageVariables(m: MessageFacts): Record<string, unknown> {
  const f = m.disruption.facts;
  const signer = { name: m.signer.name, email: m.signer.email, role: m.signer.role };
  const resolution = resolutionOf(m);
  const locale = m.customer.locale;
  const words = MESSAGE_WORDS[languageOf(locale)];
  // The event's own words only when they are in the customer's language, else the code's phrase, else none.
  const reason = reasonFor(f, locale)?.text ?? null;
  const common = {
    customer: {
      name: m.customer.name,
      firstName: m.customer.name.trim().split(/\s+/)[0] ?? m.customer.name,
      company: null,
    },
    disruption: { reason },
    gesture: m.gesture
      ? {
          kind: m.gesture.kind,
          description: m.gesture.description,
          amount: m.gesture.value,
          currency: m.gesture.currency,
          code: m.gesture.code,
          howToUse: m.gesture.howToUse,
          pendingApproval: m.gesture.pending,
          arrivesBy: m.gesture.kind === "complimentary_item" ? overnightArrival(m.now).toISOString() : null,
        }
      : { kind: "none" },
    contact: { ...signer, callBy: null },
    timeZone: m.customer.timeZone,
    locale: m.customer.locale,
    complainedFirst: m.disruption.complainedFirst,
    optOutText: m.optOutText,
  };
  const departsAt = iso(f.departsAt) ?? `${String(f.date)}T00:00:00.000Z`;
  // Flight times are read on the departure airport's clock, the same for every passenger.
  const departure = departurePlace(str(f.origin), str(f.departureTimeZone), locale);
  const flightCore = {
    number: String(f.flightNumber ?? ""),
    date: departsAt,
    origin: placeName(str(f.origin), locale),
    destination: placeName(str(f.destination), locale),
    departure,
    bookingReference: str(f.bookingRef),
    rebookingUrl: str(f.rebookingUrl),
  };
  const rebooked = f.rebookedFlight as
    | { flightNumber: string; departsAt: string; departureTimeZone?: string }
    | null
    | undefined;
  const items = (f.items as Array<{ name: string }> | undefined) ?? [];
  // QA's own words reach the customer only in the customer's language (the lead's task has them all).
  const issues = ((f.issues as Array<{ summary: string }> | undefined) ?? [])
    .map((i) => quotable(i.summary, locale))
    .filter((x): x is string => x !== null);
  switch (m.kind) {
    case "shipment_delay":
      return {
        ...common,
        shipment: {
          orderId: f.orderId,
          promisedBy: iso(f.promisedBy),
          newEta: iso(f.newEta),
          trackingUrl: str(f.trackingUrl),
          items: items.map((i) => ({ name: i.name, quantity: 1 })),
          carrier: str(f.carrier),
          occasion: null,
        },
      };
    case "flight_cancelled":
      return {
        ...common,
        flight: {
          ...flightCore,
          rebooked: rebooked ? { number: rebooked.flightNumber, departsAt: iso(rebooked.departsAt) } : null,
          // The new flight leaves from the same airport unless the event names another zone.
          rebookedDeparture: rebooked?.departureTimeZone
            ? departurePlace(str(f.origin), rebooked.departureTimeZone, locale)
            : departure,
        },
      };
    case "flight_delayed": {
      const delay = typeof f.delayMinutes === "number" ? f.delayMinutes : 0;
      const diverted = f.status === "diverted";
      return {
        ...common,
        flight: {
          ...flightCore,
          status: diverted ? "diverted" : "delayed",
          newDepartureAt: diverted ? null : new Date(Date.parse(departsAt) + delay * 60_000).toISOString(),
          divertedTo: diverted ? (placeName(str(f.divertedTo), locale) ?? words.anotherAirport) : null,
          newArrivalAt: null,
          onwardTravel: str(f.onwardTravel),
        },
      };
    }
    case "deliverable_error": {
      const promised = deliverablePromises(m.disruption.signalAt, m.now, m.customer.timeZone);
      return {
        ...common,
        contact: { ...signer, callBy: promised.callBy.toISOString() },
        deliverable: {
          title: f.title,
          deliveredAt: iso(f.deliveredAt),
          issues,
          correctedBy: promised.correctedBy.toISOString(),
          prevention: words.preventionPromised,
          url: null,
        },
      };
    }
    case "followup_shipment_delivered": {
      const deliveredAt =
        (resolution?.kind === "delivered" ? iso(resolution.deliveredAt) : null) ??
        iso(m.disruption.resolvedAt) ??
        m.now.toISOString();
      const promisedBy = iso(f.promisedBy);
      return {
        ...common,
        shipment: {
          orderId: f.orderId,
          deliveredAt,
          promisedBy,
          late: promisedBy !== null && Date.parse(deliveredAt) > Date.parse(promisedBy),
          occasion: null,
          trackingUrl: str(f.trackingUrl),
        },
      };
    }
    case "followup_flight": {
      // The flight that departed, as its event tells it: for a rebooked passenger, the new one.
      const left = resolution?.kind === "departed" ? resolution : null;
      const number = left?.flightNumber ?? rebooked?.flightNumber ?? flightCore.number;
      const origin = left?.origin ?? str(f.origin);
      return {
        ...common,
        flight: {
          number,
          origin: placeName(origin, locale),
          destination: placeName(left?.destination ?? str(f.destination), locale),
          departedAt: iso(left?.departedAt) ?? iso(m.disruption.resolvedAt) ?? m.now.toISOString(),
          departure: departurePlace(origin, left?.departureTimeZone ?? str(f.departureTimeZone), locale),
          rebooked: number.replace(/\s/g, "") !== flightCore.number.replace(/\s/g, ""),
          expensesUrl: null,
        },
      };
    }
    case "followup_deliverable_corrected":
      return {
        ...common,
        deliverable: {
          title: f.title,
          correctedAt:
            (resolution?.kind === "corrected" ? iso(resolution.correctedAt) : null) ??
            iso(m.disruption.resolvedAt) ??
            m.now.toISOString(),
          note: resolution?.kind === "corrected" ? quotable(resolution.note, locale) : null,
          issues,
          prevention: words.preventionDone,
          url: null,
        },
      };
    case "gesture_confirmed":
      return {
        ...common,
        disruption: { reason, subject: subjectPhrase(f, locale) },
        arrivesBy: m.gesture?.kind === "complimentary_item" ? overnightArrival(m.now).toISOString() : null,
      };
    case "update_still_unresolved":
      return {
        ...common,
        disruption: {
          reason,
          subject: subjectPhrase(f, locale),
          promisedAt: iso(m.disruption.followUpDueAt) ?? m.now.toISOString(),
          nextUpdateBy: new Date(m.now.getTime() + 24 * HOUR).toISOString(),
          latestNews: null,
        },
      };
  }
}

/** What a disruption is about, ready to read in a sentence in the customer's language: "your order A-1042". */
function subjectPhrase(f: Record<string, unknown>, locale: string): string {
  const w = MESSAGE_WORDS[languageOf(locale)];
  if (f.orderId) return `${w.order} ${String(f.orderId)}`;
  if (f.flightNumber) return `${w.flight} ${String(f.flightNumber)}`;
  if (f.title) return w.document(String(f.title));
  return w.delivery;
}

/** Which template a disruption's message uses. */
export function templateKindFor(
  disruptionKind: string,
  purpose: "apology" | "gesture" | "follow_up" | "update",
): TemplateKind {
  if (purpose === "update") return "update_still_unresolved";
  if (purpose === "gesture") return "gesture_confirmed";
  const family = disruptionKind.startsWith("flight")
    ? "flight"
    : disruptionKind.startsWith("shipment")
      ? "shipment"
      : "deliverable";
  if (purpose === "follow_up") {
    return family === "flight"
      ? "followup_flight"
      : family === "shipment"
        ? "followup_shipment_delivered"
        : "followup_deliverable_corrected";
  }
  if (disruptionKind === "flight_cancelled") return "flight_cancelled";
  if (family === "flight") return "flight_delayed";
  return family === "shipment" ? "shipment_delay" : "deliverable_error";
}
