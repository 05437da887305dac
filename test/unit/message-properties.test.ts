/**
 * Property tests over generated signals (fast-check): random delays, early and late deliveries,
 * rebooked flights or not, known and unknown airports, every reason code, every locale and many
 * customer zones. Whatever the signal, no message contradicts its events, every clock time names
 * its zone or city, no message reads as two languages, every SMS stays GSM-7 within 3 segments,
 * and every message is signed by a person. A failure prints the smallest signal that breaks it.
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { localeMismatches } from "../../src/locale/checker.ts";
import { REASON_PHRASES } from "../../src/locale/reason-phrases.ts";
import { AIRPORTS } from "../../src/recovery/airports.ts";
import { analyzeSms } from "../../src/templates/sms.ts";
import {
  type GoldenKind,
  type GoldenLocale,
  KINDS_OF,
  LOCALES,
  type RenderedStoryMessage,
  renderStoryMessage,
  STORIES,
  type Story,
} from "../golden/story-messages.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A fixed seed: the same signals on every run (600 runs with random seeds passed when this was written).
const RUNS = { numRuns: 100, seed: 20261130 };
const base = (id: string) => STORIES.find((s) => s.id === id) as Story;
const all = (r: RenderedStoryMessage) => `${r.email.subject}\n${r.email.text}\n${r.sms.body}`;
const LATE = /\blater than\b|\bbearing with us\b|\baprès le\b|malgré ce retard|später als|Geduld/i;

const locale = fc.constantFrom(...(Object.keys(LOCALES) as GoldenLocale[]));
const timeZone = fc.constantFrom(
  "Europe/London",
  "Europe/Paris",
  "Europe/Berlin",
  "America/New_York",
  "America/Los_Angeles",
  "America/Montreal",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Pacific/Auckland",
  "UTC",
);
const reasonCode = fc.constantFrom(...Object.keys(REASON_PHRASES));
/** A moment in 2026, to the minute. */
const instant = fc
  .integer({ min: Date.parse("2026-01-01T00:00:00Z") / 60_000, max: Date.parse("2026-12-31T00:00:00Z") / 60_000 })
  .map((m) => m * 60_000);
const iso = (ms: number) => new Date(ms).toISOString();

/** Every check that holds for any message of any story. */
function expectWellFormed(r: RenderedStoryMessage, signer: string, what: string) {
  const clocks = all(r).match(/\b\d{1,2}:\d{2}(\s?[AP]M)?(?! \()/g) ?? [];
  expect(clocks, `${what}: a time without its zone`).toEqual([]);
  const locale = r.facts.customer.locale;
  for (const part of [r.email.subject, r.email.text, r.sms.body])
    expect(localeMismatches(part, locale), `${what}: mixes languages`).toEqual([]);
  const sms = analyzeSms(r.sms.body);
  expect([sms.encoding, sms.segments <= 3], `${what}: ${sms.segments} segments`).toEqual(["GSM-7", true]);
  for (const part of [r.email.text, r.sms.body]) expect(part, `${what}: signed`).toContain(signer);
  expect(all(r), `${what}: placeholder text`).not.toMatch(
    /your departure airport|your destination|\bundefined\b|\bnull\b|\bNaN\b|\{\{/,
  );
  if (r.facts.gesture && !r.facts.gesture.pending)
    expect(all(r), `${what}: names the gesture`).toContain(r.facts.gesture.description);
}

const flight = fc.record({
  locale,
  timeZone,
  reasonCode,
  origin: fc.option(fc.constantFrom(...Object.keys(AIRPORTS)), { nil: undefined }),
  destination: fc.option(fc.constantFrom(...Object.keys(AIRPORTS)), { nil: undefined }),
  departsAt: instant,
  rebookedAfterMinutes: fc.option(fc.integer({ min: 30, max: 30 * 60 }), { nil: null }),
  flightNumber: fc.integer({ min: 100, max: 989 }),
});

test("a flight's messages, for any cancellation: the departed flight is the one that left, and each reads right", () => {
  const story = base("flight-cancelled");
  fc.assert(
    fc.property(flight, (f) => {
      const cancelled = `MG${f.flightNumber}`;
      const rebooked = f.rebookedAfterMinutes === null ? null : `MG${f.flightNumber + 7}`;
      const departed = rebooked ?? cancelled;
      const leftAt = f.departsAt + (f.rebookedAfterMinutes ?? 90) * 60_000;
      const { origin: _o, destination: _d, ...facts } = story.facts;
      const s: Story = {
        ...story,
        signalAt: iso(f.departsAt - 4 * HOUR),
        facts: {
          ...facts,
          ...(f.origin ? { origin: f.origin } : {}),
          ...(f.destination ? { destination: f.destination } : {}),
          flightNumber: cancelled,
          date: iso(f.departsAt).slice(0, 10),
          departsAt: iso(f.departsAt),
          reason: undefined,
          reasonCode: f.reasonCode,
          rebookedFlight: rebooked ? { flightNumber: rebooked, departsAt: iso(leftAt) } : null,
        },
        resolution: {
          type: "flight.status_changed",
          occurredAt: iso(leftAt + 10 * 60_000),
          data: {
            flightNumber: departed,
            date: iso(leftAt).slice(0, 10),
            status: "departed",
            departsAt: iso(leftAt),
            bookings: [{ bookingRef: "QX7PLM", customerId: "c" }],
          },
        },
      };
      for (const kind of KINDS_OF[story.id] as GoldenKind[]) {
        const r = renderStoryMessage(s, f.locale, kind, { timeZone: f.timeZone });
        const what = `${f.locale} ${kind} ${JSON.stringify(f)}`;
        expectWellFormed(r, "Claire Dubois", what);
        expect(all(r), `${what}: names its flight`).toContain(kind === "follow_up" ? departed : cancelled);
        if (kind === "follow_up" && rebooked) expect(all(r), `${what}: not the cancelled one`).not.toContain(cancelled);
        if (kind === "apology" && f.origin) {
          // The departure on the airport's own clock, whatever the passenger's zone.
          const local = new Intl.DateTimeFormat("en-GB", {
            timeZone: AIRPORTS[f.origin]?.timeZone,
            hour: "2-digit",
            minute: "2-digit",
            hourCycle: "h23",
          }).format(new Date(f.departsAt));
          expect(r.email.text, `${what}: departure at ${local} airport time`).toContain(local);
        }
      }
    }),
    RUNS,
  );
});

const parcel = fc.record({
  locale,
  timeZone,
  reasonCode,
  promisedBy: instant,
  lateByMinutes: fc.integer({ min: 60, max: 10 * 24 * 60 }),
  /** Delivered relative to the date first promised: from five days early to ten days late. */
  deliveredOffsetMinutes: fc.integer({ min: -5 * 24 * 60, max: 10 * 24 * 60 }).filter((m) => m !== 0),
});

test("a parcel's messages, for any delay: 'late' and thanks for patience only when it was late, and each reads right", () => {
  const story = base("shipment-late");
  fc.assert(
    fc.property(parcel, (p) => {
      const newEta = p.promisedBy + p.lateByMinutes * 60_000;
      const deliveredAt = iso(p.promisedBy + p.deliveredOffsetMinutes * 60_000);
      const s: Story = {
        ...story,
        signalAt: iso(p.promisedBy - 2 * DAY),
        facts: {
          ...story.facts,
          promisedBy: iso(p.promisedBy),
          newEta: iso(newEta),
          reason: undefined,
          reasonCode: p.reasonCode,
          delayMinutes: p.lateByMinutes,
        },
        resolution: { type: "shipment.delivered", occurredAt: deliveredAt, data: { orderId: "ORD-100", deliveredAt } },
      };
      for (const kind of KINDS_OF[story.id] as GoldenKind[]) {
        const r = renderStoryMessage(s, p.locale, kind, { timeZone: p.timeZone });
        const what = `${p.locale} ${kind} ${JSON.stringify(p)}`;
        expectWellFormed(r, "Tom Becker", what);
        expect(all(r), what).toContain("ORD-100");
        if (kind === "follow_up") {
          if (p.deliveredOffsetMinutes < 0) expect(all(r), `${what}: early, not late`).not.toMatch(LATE);
          else expect(all(r), `${what}: late`).toMatch(LATE);
        }
      }
    }),
    RUNS,
  );
});

const NOTES = {
  en: "The totals were re-run from the corrected returns ledger and checked by a second analyst.",
  fr: "Les totaux ont été recalculés à partir du registre corrigé et vérifiés par une seconde analyste.",
  de: "Die Summen wurden aus dem korrigierten Retourenbuch neu berechnet und von einer zweiten Analystin geprüft.",
};

const correction = fc.record({
  locale,
  timeZone,
  signalAt: instant,
  correctedAfterMinutes: fc.integer({ min: 10, max: 7 * 24 * 60 }),
  note: fc.option(fc.constantFrom(...(Object.keys(NOTES) as GoldenLocale[])), { nil: null }),
});

test("a deliverable's messages, for any correction: the account lead writes as themself, a note only in its own language", () => {
  const story = base("deliverable-error");
  fc.assert(
    fc.property(correction, (c) => {
      const correctedAt = iso(c.signalAt + c.correctedAfterMinutes * 60_000);
      const note = c.note ? NOTES[c.note] : undefined;
      const s: Story = {
        ...story,
        signalAt: iso(c.signalAt),
        facts: { ...story.facts, deliveredAt: iso(c.signalAt - 3 * DAY) },
        resolution: {
          type: "deliverable.corrected",
          occurredAt: correctedAt,
          data: { deliverableId: "DLV-9", correctedAt, ...(note ? { note } : {}) },
        },
      };
      for (const kind of KINDS_OF[story.id] as GoldenKind[]) {
        const r = renderStoryMessage(s, c.locale, kind, { timeZone: c.timeZone });
        const what = `${c.locale} ${kind} ${JSON.stringify(c)}`;
        expectWellFormed(r, "Sarah Chen", what);
        expect(all(r), `${what}: not about themself in the third person`).not.toMatch(
          /your account lead|votre responsable de compte|Ihr Kundenbetreuer/i,
        );
        if (kind === "follow_up" && note) {
          if (c.note === c.locale) expect(r.email.text, what).toContain(note);
          else expect(r.email.text, what).not.toContain(note);
        }
      }
    }),
    RUNS,
  );
});
