import type { Customer, Disruption, GestureGrant } from "../../src/db/generated/node/client.ts";
import { resolvedSubjects } from "../../src/detection/index.ts";
import { gestureTextFor } from "../../src/locale/gesture-texts.ts";
import { accountLeadTask } from "../../src/recovery/account-lead-task.ts";
import { DEFAULT_CONTACTS, roleIn } from "../../src/recovery/contacts.ts";
import { DEFAULT_GESTURE_TRANSLATIONS, DEFAULT_GESTURES } from "../../src/recovery/defaults.ts";
import { type MessageFacts, messageVariables, templateKindFor } from "../../src/recovery/message-variables.ts";
import type { Purpose } from "../../src/recovery/messages.ts";
import { DEFAULT_SETTINGS } from "../../src/recovery/services.ts";
import { defaultTemplateSet } from "../../src/templates/defaults.ts";
import { renderMessage } from "../../src/templates/render.ts";

/**
 * The messages of the three stories, rendered the way a recovery renders them (message
 * variables → the default templates → the hardened renderer), with fixed clocks, codes and
 * customers, for every locale: what `test/golden/messages/` holds and what reviewers read.
 * The events are the stories' own (test/app/stories), followed by their resolutions.
 */

export const LOCALES = {
  en: { locale: "en-GB", timeZone: "Europe/London", name: "Ada Lovelace" },
  fr: { locale: "fr-FR", timeZone: "Europe/Paris", name: "Camille Martin" },
  de: { locale: "de-DE", timeZone: "Europe/Berlin", name: "Jonas Weber" },
} as const;
export type GoldenLocale = keyof typeof LOCALES;

export interface StoryEvent {
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface Story {
  id: string;
  disruptionKind: string;
  /** what the disruption's facts are, as signal handling stores them */
  facts: Record<string, unknown>;
  signalAt: string;
  /** the resolving event (the follow-up's facts) */
  resolution: StoryEvent;
  gesture: { id: string; code: string | null };
  accountLead?: { name: string; email: string };
}

const gestureOf = (id: string) => {
  const g = DEFAULT_GESTURES.find((x) => x.id === id);
  if (!g) throw new Error(`no gesture ${id}`);
  return { ...g, texts: DEFAULT_GESTURE_TRANSLATIONS.filter((t) => t.gestureId === id) };
};

export const STORIES: Story[] = [
  {
    id: "flight-cancelled",
    disruptionKind: "flight_cancelled",
    signalAt: "2026-01-05T09:55:00Z",
    facts: {
      flightNumber: "MG304",
      date: "2026-01-05",
      status: "cancelled",
      reason: "a crew shortage",
      reasonCode: "crew_shortage",
      origin: "London Gatwick",
      destination: "Lyon",
      departsAt: "2026-01-05T14:15:00Z",
      bookingRef: "QX7PLM",
      rebookedFlight: { flightNumber: "MG306", departsAt: "2026-01-05T19:40:00Z" },
      delayMinutes: null,
    },
    // The rebooked flight departs: the follow-up must name MG306, not the cancelled MG304.
    resolution: {
      type: "flight.status_changed",
      occurredAt: "2026-01-05T19:52:00Z",
      data: {
        flightNumber: "MG306",
        date: "2026-01-05",
        status: "departed",
        origin: "London Gatwick",
        destination: "Lyon",
        departsAt: "2026-01-05T19:52:00Z",
        bookings: [{ bookingRef: "QX7PLM", customerId: "c" }],
      },
    },
    gesture: { id: "meal-voucher-50", code: "MG-7F3K-Q2M9-XP4D" },
  },
  {
    id: "shipment-late",
    disruptionKind: "shipment_delay",
    signalAt: "2026-01-05T14:58:00Z",
    facts: {
      orderId: "ORD-100",
      customerId: "c",
      promisedBy: "2026-01-06T18:00:00Z",
      newEta: "2026-01-10T16:00:00Z",
      carrier: "ParcelCo",
      reason: "a storm closed the carrier's hub",
      reasonCode: "weather",
      trackingUrl: "https://track.example.com/ORD-100",
      important: true,
      items: [{ sku: "TBL-1", name: "Linen tablecloth" }],
      delayMinutes: 5640,
    },
    // Delivered before the date first promised: no "late", no thanks for patience.
    resolution: {
      type: "shipment.delivered",
      occurredAt: "2026-01-06T11:20:00Z",
      data: { orderId: "ORD-100", deliveredAt: "2026-01-06T11:20:00Z" },
    },
    gesture: { id: "overnight-gift", code: null },
  },
  {
    id: "deliverable-error",
    disruptionKind: "deliverable_error",
    signalAt: "2026-01-05T13:13:00Z",
    facts: {
      deliverableId: "DLV-9",
      customerId: "c",
      title: "Q4 market sizing report",
      deliveredAt: "2026-01-02T09:00:00Z",
      issues: [
        { summary: "The EMEA totals double-count Q3 returns", severity: "major" },
        { summary: "Chart 4 is labelled in the wrong currency", severity: "minor" },
      ],
      delayMinutes: null,
    },
    resolution: {
      type: "deliverable.corrected",
      occurredAt: "2026-01-06T10:05:00Z",
      data: {
        deliverableId: "DLV-9",
        correctedAt: "2026-01-06T10:05:00Z",
        note: "The totals were re-run from the corrected returns ledger and checked by a second analyst.",
      },
    },
    gesture: { id: "insights-session", code: "MG-INS-4K2P-7TQR" },
    accountLead: { name: "Sarah Chen", email: "sarah@firm.example" },
  },
];

export type GoldenKind = "apology" | "gesture" | "follow_up" | "update";
/** The messages each story sends (a gesture message only where a manager approves one). */
export const KINDS_OF: Record<string, GoldenKind[]> = {
  "flight-cancelled": ["apology", "follow_up", "update"],
  "shipment-late": ["apology", "gesture", "follow_up", "update"],
  "deliverable-error": ["apology", "follow_up", "update"],
};

const FILE_NAME: Record<GoldenKind, string> = {
  apology: "apology",
  gesture: "gesture_confirmed",
  follow_up: "follow_up",
  update: "update",
};

const HOUR = 3_600_000;

/** When each message is composed, and what the disruption looks like then. */
function momentOf(story: Story, kind: GoldenKind) {
  const signalAt = new Date(story.signalAt);
  const resolvedAt = new Date(story.resolution.occurredAt);
  const followUpDueAt = new Date(signalAt.getTime() + 72 * HOUR);
  switch (kind) {
    case "apology":
      return {
        now: new Date(signalAt.getTime() + 2_000),
        resolved: false,
        pending: story.gesture.id === "overnight-gift",
      };
    case "gesture":
      return { now: new Date(signalAt.getTime() + 40 * 60_000), resolved: false, pending: false };
    case "follow_up":
      return { now: new Date(resolvedAt.getTime() + 1_000), resolved: true, pending: false, followUpDueAt };
    case "update":
      return { now: new Date(followUpDueAt.getTime() + 1_000), resolved: false, pending: false, followUpDueAt };
  }
}

/** A customer's own zone may differ from the locale's usual one (a French speaker in Montreal). */
export interface CustomerOverrides {
  timeZone?: string;
}

export function storyFacts(
  story: Story,
  loc: GoldenLocale,
  kind: GoldenKind,
  overrides: CustomerOverrides = {},
): MessageFacts {
  const m = momentOf(story, kind);
  const c = { ...LOCALES[loc], ...overrides };
  const g = gestureOf(story.gesture.id);
  const resolution = resolvedSubjects({ ...story.resolution } as never);
  const lead = story.accountLead;
  const family = story.disruptionKind.startsWith("flight")
    ? "flight"
    : story.disruptionKind.startsWith("shipment")
      ? "shipment"
      : "deliverable";
  return {
    kind: templateKindFor(story.disruptionKind, kind as Purpose),
    disruption: {
      kind: story.disruptionKind,
      reason: "",
      facts: story.facts,
      complainedFirst: false,
      resolvedAt: m.resolved ? new Date(story.resolution.occurredAt) : null,
      resolution: m.resolved && resolution ? JSON.stringify(resolution.facts) : null,
      followUpDueAt: m.followUpDueAt ?? null,
      detectedAt: new Date(story.signalAt),
      signalAt: new Date(story.signalAt),
    },
    signer: lead
      ? { ...lead, role: null, accountLead: true }
      : {
          ...DEFAULT_CONTACTS[family],
          role: roleIn(DEFAULT_CONTACTS[family].role, c.locale),
          accountLead: false,
        },
    customer: {
      name: c.name,
      timeZone: c.timeZone,
      locale: c.locale,
      accountLeadName: lead?.name ?? null,
      accountLeadEmail: lead?.email ?? null,
    },
    gesture: {
      kind: g.kind,
      // the customer's language from the catalog, as disruption-variables picks it
      description: gestureTextFor(g, c.locale).description,
      value: g.value,
      currency: g.currency,
      code: story.gesture.code,
      howToUse: gestureTextFor(g, c.locale).howToUse,
      pending: m.pending,
    },
    optOutText: DEFAULT_SETTINGS.optOutText[loc] ?? "Reply STOP to opt out",
    now: m.now,
  };
}

export interface RenderedStoryMessage {
  story: string;
  locale: GoldenLocale;
  kind: GoldenKind;
  facts: MessageFacts;
  email: { subject: string; html: string; text: string };
  sms: { body: string; segments: number };
}

export function renderStoryMessage(
  story: Story,
  loc: GoldenLocale,
  kind: GoldenKind,
  overrides: CustomerOverrides = {},
): RenderedStoryMessage {
  const facts = storyFacts(story, loc, kind, overrides);
  const variables = messageVariables(facts);
  const set = defaultTemplateSet(facts.kind, facts.customer.locale);
  const ctx = { variables, locale: facts.customer.locale, timeZone: facts.customer.timeZone, kind: facts.kind };
  const email = renderMessage({ channel: "email", ...set.email, ...ctx });
  const sms = renderMessage({ channel: "sms", body: set.sms.body, ...ctx });
  return { story: story.id, locale: loc, kind, facts, email, sms: { body: sms.body, segments: sms.segments } };
}

/** Every golden file: path under test/golden/messages → content. */
export function goldenFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const story of STORIES) {
    for (const loc of Object.keys(LOCALES) as GoldenLocale[]) {
      for (const kind of KINDS_OF[story.id] ?? []) {
        const r = renderStoryMessage(story, loc, kind);
        const base = `${story.id}/${loc}/${FILE_NAME[kind]}`;
        files.set(
          `${base}.email.txt`,
          `Subject: ${r.email.subject}\n\n----- text -----\n${r.email.text}\n\n----- html -----\n${r.email.html}\n`,
        );
        files.set(
          `${base}.sms.txt`,
          `${r.sms.body}\n\n(${r.sms.segments} segment${r.sms.segments === 1 ? "" : "s"})\n`,
        );
      }
    }
    if (story.accountLead) {
      const task = accountLeadTask(taskDisruption(story), new Date(new Date(story.signalAt).getTime() + 3_000));
      files.set(`${story.id}/account-lead-task.email.txt`, `Subject: ${task.subject}\n\n${task.text}\n`);
    }
  }
  return files;
}

/** The disruption row the account lead's task is written from. */
export function taskDisruption(story: Story): Disruption & { customer: Customer; grants: GestureGrant[] } {
  const g = gestureOf(story.gesture.id);
  const at = new Date(story.signalAt);
  return {
    id: `dis_${story.id}`,
    customerId: "c",
    kind: story.disruptionKind,
    subjectKey: "deliverable:DLV-9",
    severity: "high",
    status: "notified",
    reason: "",
    facts: JSON.stringify(story.facts),
    signalAt: at,
    detectedAt: at,
    firstMessageAt: at,
    complainedFirst: false,
    followUpDueAt: null,
    followUpSentAt: null,
    followUpBy: null,
    resolvedAt: null,
    resolution: null,
    supersededById: null,
    updatedAt: at,
    customer: {
      id: "c",
      name: "Olivia Park",
      email: "olivia@northwind.example",
      phone: null,
      locale: "en-GB",
      timeZone: "Europe/London",
      tier: "vip",
      preferredChannel: "email",
      consentEmail: true,
      consentSms: false,
      smsOptedOut: false,
      emailSuppressedAt: null,
      erasedAt: null,
      accountLeadName: story.accountLead?.name ?? null,
      accountLeadEmail: story.accountLead?.email ?? null,
      createdAt: at,
      updatedAt: at,
    },
    grants: [
      {
        id: "grant_1",
        disruptionId: `dis_${story.id}`,
        customerId: "c",
        gestureId: g.id,
        kind: g.kind,
        description: g.description,
        value: g.value,
        currency: g.currency,
        code: story.gesture.code,
        status: "granted",
        createdAt: at,
      } as unknown as GestureGrant,
    ],
  };
}
