/**
 * The language check: the phrases PRODUCT.md calls out as the opposite of service recovery
 * (waiting instead of specifics, generic apologies, form-letter greetings), in English and French,
 * and the words that make a subject read like a promotion.
 */
export const FRICTION_PHRASES: readonly string[] = [
  "please wait",
  "please be patient",
  "thank you for your patience",
  "thanks for your patience",
  "someone will get back to you",
  "we will get back to you",
  "we'll get back to you",
  "get back to you shortly",
  "we apologize for any inconvenience",
  "we apologise for any inconvenience",
  "apologize for the inconvenience",
  "apologise for the inconvenience",
  "sorry for any inconvenience",
  "any inconvenience",
  "just checking in",
  "checking in",
  "as soon as possible",
  "asap",
  "valued customer",
  "dear customer",
  "we regret to inform you",
  "beyond our control",
  "per our policy",
  // French
  "veuillez patienter",
  "merci de patienter",
  "merci de votre patience",
  "merci pour votre patience",
  "quelqu'un reviendra vers vous",
  "nous reviendrons vers vous",
  "nous vous prions de nous excuser",
  "gêne occasionnée",
  "désagrément",
  "dans les plus brefs délais",
  "dans les meilleurs délais",
  "dès que possible",
  "cher client",
  "chère cliente",
  "client privilégié",
  "indépendante de notre volonté",
  "indépendantes de notre volonté",
];

export const PROMOTIONAL_WORDS: ReadonlyArray<[label: string, pattern: RegExp]> = [
  ["free", /\bfree\b/i],
  ["% off", /%\s*off\b/i],
  ["deal", /\bdeals?\b/i],
  ["coupon", /\bcoupons?\b/i],
  ["discount", /\bdiscounts?\b/i],
  ["sale", /\bsale\b/i],
  ["promo", /\bpromo(tion)?s?\b/i],
  ["gratuit", /\bgratuit(e|s|es)?\b/i],
  ["offert", /\bofferte?s?\b/i],
  ["réduction", /\bréductions?\b/i],
  ["soldes", /\bsoldes\b/i],
];

/** Lower case, straight apostrophes, single spaces: what phrases are matched against. */
export const normalizeForMatch = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/\s+/g, " ");

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const phraseRes = FRICTION_PHRASES.map(
  (p) => [p, new RegExp(`(^|[^\\p{L}])${escapeRe(p)}($|[^\\p{L}])`, "u")] as const,
);

/** Friction phrases in a text, most specific first (a longer phrase hides the shorter one it contains). */
export function frictionPhrases(text: string): string[] {
  const t = normalizeForMatch(text);
  const found = phraseRes.filter(([, re]) => re.test(t)).map(([p]) => p);
  return found.filter((p) => !found.some((q) => q !== p && q.includes(p)));
}

/** 1-based line of the first line containing the phrase, if it is written in the source itself. */
export function lineOf(source: string, phrase: string): number | undefined {
  const lines = source.split("\n");
  const i = lines.findIndex((l) => normalizeForMatch(l).includes(phrase));
  return i >= 0 ? i + 1 : undefined;
}
