/**
 * SMS encoding facts (3GPP TS 23.038):
 * - GSM-7 carries 160 septets in one segment, 153 per segment once split (the rest is the
 *   concatenation header). Characters of the extension table (€ [ ] { } ~ ^ \ | and form feed)
 *   are sent as ESC + char, so they count 2 and are never split across segments.
 * - One character outside both tables switches the WHOLE message to UCS-2: 70 UTF-16 code
 *   units in one segment, 67 per segment once split. A surrogate pair (most emoji) counts 2
 *   and is never split across segments.
 */

export type SmsEncoding = "GSM-7" | "UCS-2";

const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "\f^{}\\[~]|€";

const basic = new Set(GSM7_BASIC);
const extension = new Set(GSM7_EXTENSION);

export const isGsm7Char = (ch: string): boolean => basic.has(ch) || extension.has(ch);

/** Characters (unique, in order of appearance) that force UCS-2. */
export function nonGsm7Characters(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) if (!isGsm7Char(ch)) found.add(ch);
  return [...found];
}

export const smsEncoding = (text: string): SmsEncoding => (nonGsm7Characters(text).length ? "UCS-2" : "GSM-7");

/** Units each character costs: septets for GSM-7, UTF-16 code units for UCS-2. */
function units(text: string, encoding: SmsEncoding): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(encoding === "GSM-7" ? (extension.has(ch) ? 2 : 1) : ch.length);
  return out;
}

export interface SmsInfo {
  encoding: SmsEncoding;
  /** septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2) */
  length: number;
  segments: number;
}

export function analyzeSms(text: string): SmsInfo {
  const encoding = smsEncoding(text);
  const costs = units(text, encoding);
  const length = costs.reduce((a, b) => a + b, 0);
  const [single, multi] = encoding === "GSM-7" ? [160, 153] : [70, 67];
  if (length === 0) return { encoding, length, segments: 0 };
  if (length <= single) return { encoding, length, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multi) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return { encoding, length, segments };
}

const NAMES: Record<string, string> = {
  "\u2018": "left single quotation mark (curly quote)",
  "\u2019": "right single quotation mark (curly apostrophe)",
  "\u201C": "left double quotation mark (curly quote)",
  "\u201D": "right double quotation mark (curly quote)",
  "\u2013": "en dash",
  "\u2014": "em dash",
  "\u2026": "horizontal ellipsis",
  "\u00A0": "no-break space",
  "\u202F": "narrow no-break space",
  "\u2009": "thin space",
  "\u00AB": "left guillemet",
  "\u00BB": "right guillemet",
  ç: "c with cedilla (only capital Ç is GSM-7)",
  ê: "e with circumflex",
  â: "a with circumflex",
  î: "i with circumflex",
  ô: "o with circumflex",
  û: "u with circumflex",
  œ: "oe ligature",
};

/** "’ (U+2019 right single quotation mark (curly apostrophe))" — for messages that name a character. */
export function describeCharacter(ch: string): string {
  const cp = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  const name = NAMES[ch];
  const shown = /\s/.test(ch) ? "" : `${ch} `;
  return `${shown}(U+${cp}${name ? ` ${name}` : ""})`;
}

/**
 * Typographic characters that data (and Intl formatting: "50 €" uses U+202F) slips into an SMS,
 * mapped to GSM-7 look-alikes so a value never flips the whole message to UCS-2.
 */
const TYPOGRAPHIC: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u2026": "...",
  "\u00A0": " ",
  "\u202F": " ",
  "\u2009": " ",
  "\u00AB": '"',
  "\u00BB": '"',
};
const TYPOGRAPHIC_RE = new RegExp(`[${Object.keys(TYPOGRAPHIC).join("")}]`, "g");

const LIGATURES: Record<string, string> = { œ: "oe", Œ: "OE" };

/**
 * A letter GSM-7 lacks, written without its accent when that makes it GSM-7 ("août" → "aout",
 * "François" → "Francois", "Zoë" → "Zoe"); a letter with no such form (Ł, 李) is kept.
 */
function plainLetter(ch: string): string {
  if (isGsm7Char(ch)) return ch;
  const plain = LIGATURES[ch] ?? ch.normalize("NFD").replace(/\p{M}/gu, "");
  return plain !== "" && [...plain].every(isGsm7Char) ? plain : ch;
}

/**
 * What a value becomes in an SMS: typographic characters as their look-alikes, letters GSM-7
 * lacks without their accents — so a name, a date or a reason never flips the whole message to
 * UCS-2 (70 characters a segment instead of 160). The template's own text is the author's and
 * is checked when it is saved (./validate.ts).
 */
export const toGsmLookalikes = (text: string): string =>
  text.replace(TYPOGRAPHIC_RE, (ch) => TYPOGRAPHIC[ch] ?? ch).replace(/[^\n -~]/gu, plainLetter);
