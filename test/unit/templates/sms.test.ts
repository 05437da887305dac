import { expect, test } from "vitest";
import { analyzeSms, describeCharacter, nonGsm7Characters, toGsmLookalikes } from "../../../src/templates/sms.ts";

test("GSM-7: 160 characters in one segment, then 153 per segment", () => {
  expect(analyzeSms("a".repeat(160))).toEqual({ encoding: "GSM-7", length: 160, segments: 1 });
  expect(analyzeSms("a".repeat(161)).segments).toBe(2);
  expect(analyzeSms("a".repeat(306)).segments).toBe(2);
  expect(analyzeSms("a".repeat(307)).segments).toBe(3);
  expect(analyzeSms("").segments).toBe(0);
});

test("extension characters (€ [ ] { } ~ ^ \\ |) count 2 and are never split across segments", () => {
  expect(analyzeSms("€".repeat(80))).toEqual({ encoding: "GSM-7", length: 160, segments: 1 });
  expect(analyzeSms("€".repeat(81)).segments).toBe(2);
  // 152 septets then € (2): it cannot start in segment 1's last slot, so it moves to segment 2
  expect(analyzeSms(`${"a".repeat(152)}€${"a".repeat(152)}`)).toMatchObject({ length: 306, segments: 3 });
  expect(analyzeSms("é è à ù ñ ü Ç É £ ¥ § ¿ ¡").encoding).toBe("GSM-7");
});

test("one non-GSM character switches the whole message to UCS-2: 70, then 67 per segment", () => {
  expect(analyzeSms(`${"a".repeat(69)}\u2019`)).toEqual({ encoding: "UCS-2", length: 70, segments: 1 });
  expect(analyzeSms(`${"a".repeat(70)}\u2019`).segments).toBe(2);
  expect(analyzeSms(`${"a".repeat(134)}ç`).segments).toBe(3);
  expect(analyzeSms("😀").length).toBe(2); // a surrogate pair
});

test("the characters that force UCS-2 are named", () => {
  expect(nonGsm7Characters("won\u2019t ça ‘ok’")).toEqual(["\u2019", "ç", "\u2018"]);
  expect(describeCharacter("\u2019")).toBe("\u2019 (U+2019 right single quotation mark (curly apostrophe))");
  expect(describeCharacter("\u00A0")).toBe("(U+00A0 no-break space)");
});

test("a value in an SMS never flips it to UCS-2 for an accent GSM-7 lacks: the letter goes without it", () => {
  expect(toGsmLookalikes("samedi 1er août, François, Zoë, cœur, Ça, crème brûlée")).toBe(
    "samedi 1er aout, Francois, Zoe, coeur, Ça, crème brulée",
  );
  // GSM-7's own accented letters stay; letters with no plain form stay too (the message is UCS-2).
  expect(toGsmLookalikes("é è à ù ä ö ü ñ ß Ñ É")).toBe("é è à ù ä ö ü ñ ß Ñ É");
  expect(toGsmLookalikes("Łukasz 李")).toBe("Łukasz 李");
  expect(analyzeSms(toGsmLookalikes("Bonjour François, le samedi 1er août")).encoding).toBe("GSM-7");
});
