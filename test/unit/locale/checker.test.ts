import { expect, test } from "vitest";
import { distinctiveWords, localeMismatches, looksLike } from "../../../src/locale/checker.ts";
import { DEFAULT_GESTURE_TEXTS } from "../../../src/locale/gesture-texts.ts";
import { LANGUAGES } from "../../../src/locale/languages.ts";
import { REASON_PHRASES } from "../../../src/locale/reason-phrases.ts";
import { quotable, reasonFor } from "../../../src/locale/reasons.ts";

test("a language's distinctive words are its own, never shared with another language's texts", () => {
  const words = distinctiveWords();
  expect(words.get("the")).toBe("en");
  expect(words.get("vous")).toBe("fr");
  expect(words.get("ihre")).toBe("de");
  // used by more than one language's templates: tells nothing
  for (const shared of ["code", "https", "lyon"]) expect(words.has(shared), shared).toBe(false);
});

test("the mixes the issue found are flagged: an English reason and catalog text in a French message", () => {
  const fr = "Bonjour Camille, désolés : votre vol MG304 est annulé (a crew shortage). Nouveau vol : MG306.";
  expect(localeMismatches(fr, "fr-FR").map((m) => m.found)).toEqual(["en"]);
  const gift =
    "Pour le temps supplémentaire à l'aéroport, voici a meal voucher de 50 € : MG-7F3K. Show the code at any cafe or restaurant in the airport today.";
  const found = localeMismatches(gift, "fr-FR");
  expect(found.length).toBeGreaterThan(0);
  expect(found.every((m) => m.expected === "fr" && m.found === "en")).toBe(true);
  expect(found.flatMap((m) => m.words)).toEqual(expect.arrayContaining(["show", "the"]));
  const de = "Hallo Jonas, Ihr Flug MG304 ist annulliert. Für die Wartezeit: un bon repas. Montrez le code au café.";
  expect(localeMismatches(de, "de-DE").map((m) => m.found)).toContain("fr");
});

test("a message in one language is not flagged, names, codes, places and links included", () => {
  const fr =
    "Bonjour Ada, votre commande ORD-100 de Linen tablecloth arrive le samedi 10 janvier. Suivez-la sur https://track.example.com/the-parcel-is-here - Tom Becker, London Gatwick.";
  expect(localeMismatches(fr, "fr")).toEqual([]);
  expect(localeMismatches("Hi Ada, your order ORD-100 is late. Sorry. - Tom Becker", "en-GB")).toEqual([]);
  expect(localeMismatches("Hallo Jonas, Ihre Bestellung ORD-100 kommt später. - Tom Becker", "de-DE")).toEqual([]);
});

test("every reason phrase and every catalog text reads as its own language", () => {
  for (const lang of LANGUAGES) {
    for (const [code, phrases] of Object.entries(REASON_PHRASES))
      expect(looksLike(phrases[lang]), `${code} ${lang}`).toBe(lang);
    for (const [id, texts] of Object.entries(DEFAULT_GESTURE_TEXTS)) {
      expect(localeMismatches(`${texts[lang].description}. ${texts[lang].howToUse}`, lang), `${id} ${lang}`).toEqual(
        [],
      );
      expect(looksLike(`${texts[lang].description}. ${texts[lang].howToUse}`), `${id} ${lang}`).toBe(lang);
    }
  }
});

test("a free-text reason is quoted only in its own language; else the code's phrase; else none", () => {
  const facts = { reason: "the van broke down on the A1", reasonCode: "vehicle_breakdown" };
  expect(reasonFor(facts, "en-GB")).toEqual({ text: "the van broke down on the A1", from: "event" });
  expect(reasonFor(facts, "fr-FR")).toEqual({ text: "une panne du véhicule de livraison", from: "code" });
  expect(reasonFor(facts, "de")).toEqual({ text: "eine Panne des Lieferwagens", from: "code" });
  expect(reasonFor({ reason: "un orage a fermé le centre de tri" }, "fr-FR")?.text).toBe(
    "un orage a fermé le centre de tri",
  );
  expect(reasonFor({ reason: "un orage a fermé le centre de tri" }, "en")).toBeNull();
  // words the checker cannot place are not quoted: the language is not known to match
  expect(reasonFor({ reason: "A1 M25" }, "en")).toBeNull();
  expect(reasonFor({ reasonCode: "not_a_code" }, "en")).toBeNull();
  expect(reasonFor({}, "fr")).toBeNull();
});

test("an event's free text is quoted unless it reads as another language", () => {
  expect(quotable("Chart 4 is labelled in the wrong currency", "en")).not.toBeNull();
  expect(quotable("Chart 4 is labelled in the wrong currency", "fr")).toBeNull();
  expect(quotable("Q4 EMEA", "de")).toBe("Q4 EMEA");
  expect(quotable(null, "en")).toBeNull();
});
