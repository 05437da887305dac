import { z } from "zod";
import { languageOf } from "../locale/languages.ts";
import { type SampleLocale, samples } from "./samples.ts";

/**
 * The declared variables of every template kind, as zod schemas. A template may use exactly
 * these (the validator names anything else); the renderer parses data through them, so optional
 * values arrive as null (rendering empty under strictVariables) rather than missing.
 */

/** Variables the language check treats as "a specific time" or "a next step". */
type Role = "instant" | "nextStep";
const roles = new WeakMap<z.ZodType, Set<Role>>();
function as<T extends z.ZodType>(schema: T, ...r: Role[]): T {
  roles.set(schema, new Set(r));
  return schema;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);
const instant = () => as(z.iso.datetime({ offset: true }), "instant");
/** http(s) only: a `javascript:` URL in data can never reach an href. */
const webUrl = () => as(z.url({ protocol: /^https?$/ }).max(2048), "nextStep");

const Customer = z.strictObject({
  name: text(200),
  firstName: text(100),
  company: nullable(text(200)),
});

export const GESTURE_KINDS = ["voucher", "complimentary_item", "free_session", "credit", "none"] as const;
const Gesture = z
  .strictObject({
    kind: z.enum(GESTURE_KINDS).default("none"),
    description: nullable(text(300)),
    amount: nullable(z.number().nonnegative().max(100_000)),
    currency: nullable(z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR")),
    code: nullable(text(64)),
    howToUse: nullable(as(text(500), "nextStep")),
    /** true while a manager has not approved it: the message must not show the gesture yet */
    pendingApproval: z.boolean().default(false),
    /** when an item sent overnight arrives; null for vouchers, credits and sessions */
    arrivesBy: nullable(as(instant(), "instant")),
  })
  .prefault({});

/** The person who signs the message and looks after this disruption (settings name one per kind). */
const Contact = z
  .strictObject({
    name: nullable(as(text(120), "nextStep")),
    email: nullable(as(z.email(), "nextStep")),
    callBy: nullable(as(instant(), "instant", "nextStep")),
    /** under the name in the signature ("Customer care, flights") */
    role: nullable(text(120)),
  })
  .prefault({});

/** Deliverables always come from a named account lead, who writes in the first person. */
const AccountLead = z.strictObject({
  name: as(text(120), "nextStep"),
  email: as(z.email(), "nextStep"),
  callBy: nullable(as(instant(), "instant", "nextStep")),
  role: nullable(text(120)),
});

/**
 * Whose clock a flight's times are read on: the departure airport's zone and city
 * (`{{ flight.date | datetime: "full", flight.departure }}` → "…, 14:15 (London time)").
 */
const Place = z.strictObject({ timeZone: z.string().min(1).default("UTC"), city: nullable(text(80)) }).prefault({});

const Disruption = z.strictObject({ reason: nullable(text(300)) }).prefault({});

const common = {
  customer: Customer,
  disruption: Disruption,
  gesture: Gesture,
  contact: Contact,
  /** IANA zone the customer lives in; `datetime` and `date` use it */
  timeZone: z.string().min(1),
  locale: z.string().min(2),
  /** the customer contacted us before we contacted them: acknowledge it */
  complainedFirst: z.boolean().default(false),
  optOutText: text(80),
};

const Item = z.strictObject({ name: text(200), quantity: z.number().int().positive() });

const flightCore = {
  number: text(12),
  /** scheduled departure */
  date: instant(),
  /** optional in events: a message must read well without them */
  origin: nullable(text(80)),
  destination: nullable(text(80)),
  departure: Place,
  bookingReference: nullable(text(20)),
  rebookingUrl: nullable(webUrl()),
};

export const templateVariables = {
  shipment_delay: z.strictObject({
    ...common,
    shipment: z.strictObject({
      orderId: text(64),
      promisedBy: instant(),
      newEta: instant(),
      trackingUrl: nullable(webUrl()),
      items: z.array(Item).max(50).default([]),
      carrier: nullable(text(80)),
      /** what the order is for, when the customer told us ("Maya's birthday party") */
      occasion: nullable(text(120)),
    }),
  }),
  flight_cancelled: z.strictObject({
    ...common,
    flight: z.strictObject({
      ...flightCore,
      rebooked: nullable(z.strictObject({ number: as(text(12), "nextStep"), departsAt: instant() })),
      /** whose clock the rebooked flight's departure is read on (the same airport, unless the event says) */
      rebookedDeparture: Place,
    }),
  }),
  /** delayed or diverted (`flight.status`) */
  flight_delayed: z.strictObject({
    ...common,
    flight: z.strictObject({
      ...flightCore,
      status: z.enum(["delayed", "diverted"]).default("delayed"),
      newDepartureAt: nullable(instant()),
      divertedTo: nullable(text(80)),
      newArrivalAt: nullable(instant()),
      /** how the passenger gets on from a diversion ("a coach to Lyon leaves from gate 4") */
      onwardTravel: nullable(as(text(300), "nextStep")),
    }),
  }),
  deliverable_error: z.strictObject({
    ...common,
    contact: AccountLead,
    deliverable: z.strictObject({
      title: text(200),
      deliveredAt: instant(),
      /** what was wrong, as QA wrote it: only the summaries written in the customer's language */
      issues: z.array(text(300)).max(20).default([]),
      correctedBy: instant(),
      /** what we change so it does not happen again */
      prevention: nullable(text(500)),
      url: nullable(webUrl()),
    }),
  }),
  followup_shipment_delivered: z.strictObject({
    ...common,
    shipment: z.strictObject({
      orderId: text(64),
      deliveredAt: instant(),
      promisedBy: nullable(instant()),
      /** delivered after promisedBy: only then say it was late, and thank them for their patience */
      late: z.boolean().default(false),
      occasion: nullable(text(120)),
      trackingUrl: nullable(webUrl()),
    }),
  }),
  followup_flight: z.strictObject({
    ...common,
    /** the flight that departed (for a rebooked passenger, the new one), as the departed event tells it */
    flight: z.strictObject({
      number: text(12),
      origin: nullable(text(80)),
      destination: nullable(text(80)),
      departedAt: instant(),
      departure: Place,
      /** the flight that left is not the one first booked (it was cancelled and the passenger rebooked) */
      rebooked: z.boolean().default(false),
      /** where to claim back what the disruption cost (a taxi, a hotel night) */
      expensesUrl: nullable(webUrl()),
    }),
  }),
  followup_deliverable_corrected: z.strictObject({
    ...common,
    contact: AccountLead,
    deliverable: z.strictObject({
      title: text(200),
      correctedAt: instant(),
      /** what the team said about the correction (deliverable.corrected's note) */
      note: nullable(text(2000)),
      issues: z.array(text(300)).max(20).default([]),
      prevention: nullable(text(500)),
      url: nullable(webUrl()),
    }),
  }),
  /** the gesture a manager approved (or the lesser one), in its own message after the apology */
  gesture_confirmed: z.strictObject({
    ...common,
    disruption: z.strictObject({
      reason: nullable(text(300)),
      /** what it is about, ready to read in a sentence: "your order A-1042" */
      subject: text(120),
    }),
    /** when an item sent overnight arrives; null for vouchers, credits and sessions */
    arrivesBy: nullable(as(instant(), "instant", "nextStep")),
  }),
  /** the time we promised passed and the disruption is still open */
  update_still_unresolved: z.strictObject({
    ...common,
    disruption: z.strictObject({
      reason: nullable(text(300)),
      /** what it is about, ready to read in a sentence: "your order A-1042" */
      subject: text(120),
      promisedAt: instant(),
      nextUpdateBy: as(instant(), "instant", "nextStep"),
      latestNews: nullable(text(500)),
    }),
  }),
} satisfies Record<string, z.ZodType>;

export type TemplateKind = keyof typeof templateVariables;
export const TEMPLATE_KINDS = Object.keys(templateVariables) as TemplateKind[];
export type TemplateVariables<K extends TemplateKind> = z.output<(typeof templateVariables)[K]>;
export type TemplateVariablesInput<K extends TemplateKind> = z.input<(typeof templateVariables)[K]>;

export const isTemplateKind = (k: string): k is TemplateKind => Object.hasOwn(templateVariables, k);

// Samples are plain data in samples.ts; this assignment type-checks them against the schemas.
const typedSamples: { [K in TemplateKind]: Record<SampleLocale, TemplateVariablesInput<K>> } = samples;

/** Sample data for previews and save-time validation, in the template's language ("en" for others). */
export function sampleVariables<K extends TemplateKind>(kind: K, locale = "en"): TemplateVariables<K> {
  const lang: SampleLocale = languageOf(locale);
  return templateVariables[kind].parse(structuredClone(typedSamples[kind][lang])) as TemplateVariables<K>;
}

// ---------------------------------------------------------------------------------------------
// Declared paths: which `a.b.c` a template may read, for the validator.

export type Shape =
  | { type: "object"; fields: Record<string, Shape>; roles: Set<Role> }
  | { type: "array"; element: Shape; roles: Set<Role> }
  | { type: "leaf"; scalar: "string" | "number" | "boolean"; roles: Set<Role> };

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType };
const defOf = (s: z.ZodType) => s._zod.def as unknown as Def;

function shapeOf(schema: z.ZodType, inherited: Set<Role> = new Set()): Shape {
  const r = new Set([...inherited, ...(roles.get(schema) ?? [])]);
  const def = defOf(schema);
  if (def.innerType) return shapeOf(def.innerType, r); // default, prefault, nullable, optional
  if (def.type === "object" && def.shape) {
    const fields: Record<string, Shape> = {};
    for (const [k, v] of Object.entries(def.shape)) fields[k] = shapeOf(v);
    return { type: "object", fields, roles: r };
  }
  if (def.type === "array" && def.element) return { type: "array", element: shapeOf(def.element), roles: r };
  const scalar = def.type === "number" ? "number" : def.type === "boolean" ? "boolean" : "string";
  return { type: "leaf", scalar, roles: r };
}

const shapes = new Map<TemplateKind, Shape>();
export function variableShape(kind: TemplateKind): Shape {
  const cached = shapes.get(kind);
  if (cached) return cached;
  const s = shapeOf(templateVariables[kind]);
  shapes.set(kind, s);
  return s;
}

export interface DeclaredPath {
  path: string;
  roles: ReadonlySet<Role>;
}

/** Every declared path of a kind ("customer", "customer.firstName", "shipment.items", …). */
export function declaredPaths(kind: TemplateKind): DeclaredPath[] {
  const out: DeclaredPath[] = [];
  const walk = (s: Shape, prefix: string) => {
    if (prefix) out.push({ path: prefix, roles: s.roles });
    if (s.type === "object") for (const [k, v] of Object.entries(s.fields)) walk(v, prefix ? `${prefix}.${k}` : k);
  };
  walk(variableShape(kind), "");
  return out;
}

/** A segment the static analysis could not resolve (`items[i]`): any key is accepted there. */
export const DYNAMIC = Symbol("dynamic");
export type Segment = string | number | typeof DYNAMIC;

export type Lookup = { ok: true; shape: Shape } | { ok: false; failedAt: number };

/** Follows a variable path through the declared shape, the way Liquid reads it. */
export function lookupPath(kind: TemplateKind, segments: readonly Segment[]): Lookup {
  let s: Shape = variableShape(kind);
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg === DYNAMIC) {
      if (s.type === "array") s = s.element;
      else return { ok: true, shape: s };
      continue;
    }
    if (seg === "size" && (s.type === "array" || (s.type === "leaf" && s.scalar === "string"))) {
      s = { type: "leaf", scalar: "number", roles: new Set() };
      continue;
    }
    if (s.type === "array" && (typeof seg === "number" || seg === "first" || seg === "last")) {
      s = s.element;
      continue;
    }
    const next: Shape | undefined = s.type === "object" && typeof seg === "string" ? s.fields[seg] : undefined;
    if (!next || !Object.hasOwn(s.type === "object" ? s.fields : {}, String(seg))) return { ok: false, failedAt: i };
    s = next;
  }
  return { ok: true, shape: s };
}
