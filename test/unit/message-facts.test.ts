import { expect, test } from "vitest";
import { analyzeSms } from "../../src/templates/sms.ts";
import {
  type GoldenKind,
  type GoldenLocale,
  KINDS_OF,
  LOCALES,
  renderStoryMessage,
  STORIES,
  type Story,
} from "../golden/story-messages.ts";

/** Facts checked against the events, not just present: each story varied the way real signals vary. */

const story = (id: string) => STORIES.find((s) => s.id === id) as Story;
const locales = Object.keys(LOCALES) as GoldenLocale[];
const all = (r: ReturnType<typeof renderStoryMessage>) => `${r.email.subject}\n${r.email.text}\n${r.sms.body}`;
const LATE = /\blater than\b|\bbearing with us\b|\baprès le\b|malgré ce retard|später als|Geduld/i;

/** A small deterministic generator: the same cases on every run. */
function* cases(n: number, seed = 7) {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    yield x;
  }
}

test("a parcel delivered before its promised date is never told it was late, nor thanked for patience; a late one is", () => {
  const base = story("shipment-late");
  const promised = Date.parse(String(base.facts.promisedBy));
  for (const r of cases(40)) {
    const offsetHours = (r % 240) - 120; // from 5 days early to 5 days late
    const deliveredAt = new Date(promised + offsetHours * 3_600_000 + 60_000).toISOString();
    const s: Story = {
      ...base,
      resolution: { ...base.resolution, occurredAt: deliveredAt, data: { orderId: "ORD-100", deliveredAt } },
    };
    for (const loc of locales) {
      const text = all(renderStoryMessage(s, loc, "follow_up"));
      if (offsetHours < 0) expect(text, `${loc} delivered ${deliveredAt}`).not.toMatch(LATE);
      else expect(text, `${loc} delivered ${deliveredAt}`).toMatch(LATE);
    }
  }
});

test("the follow-up names the flight that departed: the rebooked one, or the delayed one itself", () => {
  const base = story("flight-cancelled");
  for (const loc of locales) {
    const rebooked = all(renderStoryMessage(base, loc, "follow_up"));
    expect(rebooked).toContain("MG306");
    expect(rebooked).not.toContain("MG304");
    const sameFlight: Story = {
      ...base,
      facts: { ...base.facts, rebookedFlight: null },
      resolution: { ...base.resolution, data: { ...base.resolution.data, flightNumber: "MG304" } },
    };
    const text = all(renderStoryMessage(sameFlight, loc, "follow_up"));
    expect(text).toContain("MG304");
    expect(text).not.toMatch(/MG306|new flight|nouveau vol/i);
  }
});

test("one departure reads the same to every passenger, on the airport's clock, whatever their own zone", () => {
  const base = story("flight-cancelled");
  for (const loc of locales) {
    const times = new Set<string>();
    for (const timeZone of ["Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo"]) {
      const r = renderStoryMessage(base, loc, "apology", { timeZone });
      times.add(r.email.text.match(/\d{2}:\d{2} \([^)]*\)/)?.[0] ?? "none");
    }
    const expected = { en: "14:15 (London time)", fr: "14:15 (heure de Londres)", de: "14:15 (Ortszeit London)" };
    expect([...times]).toEqual([expected[loc]]);
  }
});

test("every clock time shown names its zone or city, in every message of every story and locale", () => {
  for (const s of STORIES)
    for (const loc of locales)
      for (const kind of KINDS_OF[s.id] as GoldenKind[]) {
        const text = all(renderStoryMessage(s, loc, kind));
        const clocks = text.match(/\b\d{1,2}:\d{2}(\s?[AP]M)?(?! \()/g) ?? [];
        expect(clocks, `${s.id} ${loc} ${kind}: a time without its zone`).toEqual([]);
      }
});

test("every message names the person who signs it and, once given, the gesture", () => {
  for (const s of STORIES)
    for (const loc of locales)
      for (const kind of KINDS_OF[s.id] as GoldenKind[]) {
        const r = renderStoryMessage(s, loc, kind);
        const signer = s.accountLead?.name ?? (s.id === "flight-cancelled" ? "Claire Dubois" : "Tom Becker");
        for (const part of [r.email.text, r.sms.body]) expect(part, `${s.id} ${loc} ${kind}`).toContain(signer);
        expect(r.email.text).not.toMatch(/Customer care\s*$|Le service client\s*$/);
        if (r.facts.gesture && !r.facts.gesture.pending)
          expect(all(r), `${s.id} ${loc} ${kind} names the gesture`).toContain(r.facts.gesture.description);
      }
});

test("a gesture still waiting for a manager is not promised; the gift is kept apart from the order's items", () => {
  for (const loc of locales) {
    const apology = renderStoryMessage(story("shipment-late"), loc, "apology");
    const what = { en: "chocolates", fr: "chocolats", de: "Pralinen" }[loc];
    expect(apology.facts.gesture?.description).toContain(what);
    expect(all(apology)).not.toContain(what);
    expect(all(apology)).toContain("Linen tablecloth");
    const gift = all(renderStoryMessage(story("shipment-late"), loc, "gesture"));
    expect(gift).toContain(what);
    expect(gift).not.toContain("Linen tablecloth");
  }
});

test("the account lead writes in the first person, and the correction note reaches a follow-up in its own language", () => {
  const s = story("deliverable-error");
  const notes = {
    en: String(s.resolution.data.note),
    fr: "Les totaux ont été recalculés à partir du registre corrigé et vérifiés par une seconde analyste.",
    de: "Die Summen wurden aus dem korrigierten Retourenbuch neu berechnet und von einer zweiten Analystin geprüft.",
  };
  for (const loc of locales) {
    const apology = all(renderStoryMessage(s, loc, "apology"));
    expect(apology).not.toMatch(/your account lead|votre responsable de compte|Ihr Kundenbetreuer/i);
    expect(apology).toMatch({ en: /with me/, fr: /avec moi/, de: /mit mir/ }[loc]);
    for (const [noteLang, note] of Object.entries(notes)) {
      const withNote: Story = { ...s, resolution: { ...s.resolution, data: { ...s.resolution.data, note } } };
      const followUp = renderStoryMessage(withNote, loc, "follow_up").email.text;
      // the team's own words only in the customer's language: an English note is not pasted into French
      if (noteLang === loc) expect(followUp).toContain(note);
      else expect(followUp).not.toContain(note);
    }
  }
});

test("a flight event without origin or destination reads naturally in every locale", () => {
  const base = story("flight-cancelled");
  const { origin: _o, destination: _d, ...facts } = base.facts;
  const bare: Story = {
    ...base,
    facts,
    resolution: {
      ...base.resolution,
      data: { flightNumber: "MG306", date: "2026-01-05", status: "departed", bookings: [] },
    },
  };
  for (const loc of locales)
    for (const kind of KINDS_OF[base.id] as GoldenKind[]) {
      const text = all(renderStoryMessage(bare, loc, kind));
      expect(text).not.toMatch(
        /your departure airport|your destination|\bde\s+à\b|\bto\s*[,.]|\bfrom\s*[,.]|pour\s*[,.]/,
      );
      expect(text).not.toMatch(/ {2}|\s[,.](?!\d)/);
      // without a known airport, the time names its offset
      if (kind === "apology") expect(text).toMatch(/\d{2}:\d{2} \((GMT|UTC)\)/);
    }
});

test("money is written for the locale", () => {
  const s = story("flight-cancelled");
  expect(all(renderStoryMessage(s, "en", "apology"))).toContain("€50");
  expect(all(renderStoryMessage(s, "fr", "apology"))).toMatch(/50\s€/);
  expect(all(renderStoryMessage(s, "de", "apology"))).toMatch(/50\s€/);
  for (const loc of locales) expect(all(renderStoryMessage(s, loc, "apology"))).not.toMatch(/\d+ EUR/);
});

test("every SMS of every story and locale stays GSM-7 and within the studio's limit of 3 segments", () => {
  for (const s of STORIES)
    for (const loc of locales)
      for (const kind of KINDS_OF[s.id] as GoldenKind[]) {
        const sms = analyzeSms(renderStoryMessage(s, loc, kind).sms.body);
        expect([sms.encoding, sms.segments <= 3], `${s.id} ${loc} ${kind}: ${sms.segments} segments`).toEqual([
          "GSM-7",
          true,
        ]);
      }
});
