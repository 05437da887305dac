import { describe, expect, test } from "vitest";
import { collectTemplateFiles, renderModule } from "../../../scripts/bundle-templates.ts";
import { DEFAULT_TEMPLATE_FILES } from "../../../src/templates/defaults.generated.ts";
import { DEFAULT_LOCALES, DEFAULT_TEMPLATES, defaultTemplateSet } from "../../../src/templates/defaults.ts";
import { renderMessage } from "../../../src/templates/render.ts";
import { LANGUAGE_CODES, validateTemplate } from "../../../src/templates/validate.ts";
import { sampleVariables, TEMPLATE_KINDS, type TemplateKind } from "../../../src/templates/variables.ts";
import { escapeHtml, get } from "./helpers.ts";

/** What each kind's messages must say, as sample-data paths: everywhere, and in the email as well. */
const SPECIFICS: Record<TemplateKind, { everywhere: string[]; email?: string[] }> = {
  shipment_delay: {
    everywhere: ["customer.firstName", "shipment.orderId", "gesture.description", "contact.name"],
  },
  flight_cancelled: { everywhere: ["customer.firstName", "flight.number", "flight.rebooked.number", "gesture.code"] },
  flight_delayed: { everywhere: ["customer.firstName", "flight.number", "gesture.code"] },
  deliverable_error: {
    everywhere: ["customer.firstName", "deliverable.title", "gesture.code", "contact.name"],
    email: ["deliverable.issues.0", "contact.email"],
  },
  followup_shipment_delivered: { everywhere: ["customer.firstName", "shipment.orderId", "contact.name"] },
  followup_flight: { everywhere: ["customer.firstName", "flight.number", "flight.expensesUrl"] },
  followup_deliverable_corrected: {
    everywhere: ["customer.firstName", "deliverable.title", "contact.name", "contact.email"],
  },
  gesture_confirmed: {
    everywhere: ["customer.firstName", "disruption.subject", "gesture.description"],
    email: ["gesture.howToUse", "contact.name"],
  },
  update_still_unresolved: {
    everywhere: ["customer.firstName", "disruption.subject", "gesture.code"],
    email: ["contact.name"],
  },
};

const cases = DEFAULT_LOCALES.flatMap((locale) => TEMPLATE_KINDS.map((kind) => ({ locale, kind })));

test("there is an email (subject, html, text) and an SMS for every kind in en, fr and de", () => {
  expect(DEFAULT_LOCALES).toEqual(["de", "en", "fr"]);
  for (const { locale, kind } of cases) {
    const parts = DEFAULT_TEMPLATES.filter((t) => t.locale === locale && t.kind === kind).map((t) => t.part);
    expect(parts.sort(), `${locale}/${kind}`).toEqual(["body", "html", "subject", "text"]);
  }
});

test("src/templates/defaults.generated.ts matches templates/ (run `npx tsx scripts/bundle-templates.ts`)", () => {
  const files = collectTemplateFiles();
  expect(DEFAULT_TEMPLATE_FILES).toEqual(files);
  expect(renderModule(files)).toContain("export const DEFAULT_TEMPLATE_FILES");
});

describe.each(cases)("default templates $locale/$kind", ({ locale, kind }) => {
  const set = defaultTemplateSet(kind, locale);
  const sample = sampleVariables(kind, locale);
  const ctx = { kind, variables: sample, locale: sample.locale, timeZone: sample.timeZone };
  const value = (path: string) => String(get(sample, path));

  test("render with the sample data, say the specifics, and pass validation without language warnings", () => {
    const email = renderMessage({ channel: "email", ...set.email, ...ctx });
    const sms = renderMessage({ channel: "sms", ...set.sms, ...ctx });

    const spec = SPECIFICS[kind];
    for (const path of [...spec.everywhere, ...(spec.email ?? [])]) {
      expect(email.html, `html mentions ${path}`).toContain(escapeHtml(value(path)));
      expect(email.text, `text mentions ${path}`).toContain(value(path));
    }
    expect(email.subject).toContain(sample.customer.firstName);
    for (const path of spec.everywhere) expect(sms.body, `SMS mentions ${path}`).toContain(value(path));

    expect(sms.encoding).toBe("GSM-7");
    expect(sms.segments).toBeLessThanOrEqual(2);
    expect(sms.body.endsWith(sample.optOutText)).toBe(true);
    expect(email.subject).not.toMatch(/[\r\n]/);

    const results = [
      validateTemplate({ kind, channel: "email", locale, ...set.email }),
      validateTemplate({ kind, channel: "sms", locale, ...set.sms }),
    ];
    for (const r of results) {
      expect(r.errors).toEqual([]);
      expect(r.warnings.filter((w) => LANGUAGE_CODES.has(w.code))).toEqual([]);
      // the only warning a default may carry: a 2-segment SMS costs two
      expect(r.warnings.filter((w) => w.code !== "sms_multi_segment")).toEqual([]);
    }
  });

  test("acknowledge a customer who complained first, still within 3 SMS segments", () => {
    const plain = renderMessage({ channel: "email", ...set.email, ...ctx });
    const complained = { ...ctx, variables: { ...sample, complainedFirst: true } };
    const email = renderMessage({ channel: "email", ...set.email, ...complained });
    const sms = renderMessage({ channel: "sms", ...set.sms, ...complained });
    if (kind.startsWith("followup_") || kind === "gesture_confirmed") {
      // a follow-up closes the loop and a gesture message follows the apology: the apology came earlier
      expect(email.text).toBe(plain.text);
    } else {
      expect(email.text).not.toBe(plain.text);
      expect(sms.body).not.toBe(renderMessage({ channel: "sms", ...set.sms, ...ctx }).body);
    }
    expect(sms.segments).toBeLessThanOrEqual(3);
  });

  test("never show a gesture that is pending approval", () => {
    const g = sample.gesture;
    const pending = { ...ctx, variables: { ...sample, gesture: { ...g, pendingApproval: true } } };
    const email = renderMessage({ channel: "email", ...set.email, ...pending });
    const sms = renderMessage({ channel: "sms", ...set.sms, ...pending });
    for (const shown of [g.code, g.description].filter((x): x is string => !!x)) {
      for (const out of [email.subject, email.html, email.text, sms.body]) expect(out).not.toContain(shown);
    }
  });
});

test("a diverted flight uses the delayed template's diverted wording", () => {
  for (const locale of DEFAULT_LOCALES) {
    const sample = sampleVariables("flight_delayed", locale);
    const variables = {
      ...sample,
      flight: { ...sample.flight, status: "diverted", divertedTo: "Marseille", newArrivalAt: "2026-03-17T19:30:00Z" },
    };
    const ctx = { kind: "flight_delayed" as const, variables, locale: sample.locale, timeZone: sample.timeZone };
    const set = defaultTemplateSet("flight_delayed", locale);
    const email = renderMessage({ channel: "email", ...set.email, ...ctx });
    const sms = renderMessage({ channel: "sms", ...set.sms, ...ctx });
    expect(email.subject).toContain("Marseille");
    expect(sms.body).toContain("Marseille");
    expect(sms.segments).toBeLessThanOrEqual(2);
  }
});
