import { DEFAULT_TEMPLATE_FILES } from "../templates/defaults.generated.ts";
import { DEFAULT_GESTURE_TEXTS } from "./gesture-texts.ts";
import { LANGUAGES, type Language, languageOf } from "./languages.ts";
import { MESSAGE_WORDS } from "./message-words.ts";
import { REASON_PHRASES } from "./reason-phrases.ts";

/**
 * The locale checker: does a text read as the language it should be in? A simple heuristic,
 * tested on every golden message: a language's *distinctive words* are the words of its own
 * default templates, catalog texts, reason phrases and message words that no other language's
 * use ("the", "vous", "Ihre"…; never "code", "Lyon" or a name). A stretch of text — a sentence,
 * a clause, a parenthesis — with at least two distinct words of another language, and more of
 * them than of its own, is that other language.
 *
 * Used at save time (the template studio's language check), at send time (a mixed message is
 * logged, flagged and still sent) and to decide whether an event's free-text reason may be
 * quoted to a customer (`reasonFor`).
 */

const stripMarkup = (s: string) =>
  s
    .replace(/\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}/g, " ")
    .replace(/<style[\s\S]*?<\/style>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&[a-z]+;|&#\d+;/gi, " ");

/** Links and addresses say nothing about a language (and their dots are not sentence ends). */
const withoutLinks = (s: string) => s.replace(/https?:\/\/\S+|\S+@\S+/g, " ");

/** The words of a text, lower case, without URLs, addresses, codes or anything with a digit. */
export function wordsOf(text: string): string[] {
  const cleaned = withoutLinks(text.normalize("NFC"))
    .replace(/\S*\d\S*/g, " ")
    .toLowerCase();
  return cleaned.match(/\p{L}+/gu) ?? [];
}

function corpusOf(lang: Language): Set<string> {
  const texts: string[] = [];
  for (const [path, source] of Object.entries(DEFAULT_TEMPLATE_FILES))
    if (languageOf(path.split("/")[0] ?? "") === lang && path.startsWith(lang)) texts.push(stripMarkup(source));
  for (const g of Object.values(DEFAULT_GESTURE_TEXTS))
    texts.push(g[lang].name, g[lang].description, g[lang].howToUse ?? "");
  for (const p of Object.values(REASON_PHRASES)) texts.push(p[lang]);
  texts.push(...Object.values(MESSAGE_WORDS[lang]).filter((w): w is string => typeof w === "string"));
  return new Set(texts.flatMap(wordsOf));
}

let distinctive: Map<string, Language> | undefined;
/** word → the one language whose own texts use it */
export function distinctiveWords(): ReadonlyMap<string, Language> {
  if (distinctive) return distinctive;
  const corpora = LANGUAGES.map((l) => [l, corpusOf(l)] as const);
  const map = new Map<string, Language>();
  for (const [lang, words] of corpora)
    for (const w of words) if (!corpora.some(([other, ws]) => other !== lang && ws.has(w))) map.set(w, lang);
  distinctive = map;
  return map;
}

/** The distinct distinctive words of each language in a text. */
function hitsIn(text: string): Map<Language, Set<string>> {
  const words = distinctiveWords();
  const hits = new Map<Language, Set<string>>();
  for (const w of wordsOf(text)) {
    const lang = words.get(w);
    if (!lang) continue;
    const set = hits.get(lang) ?? new Set();
    set.add(w);
    hits.set(lang, set);
  }
  return hits;
}

/** The language a (short) text is written in, when it says: the most distinctive words, no tie. */
export function looksLike(text: string): Language | null {
  const ranked = [...hitsIn(text)].sort((a, b) => b[1].size - a[1].size);
  const [first, second] = ranked;
  if (!first || first[1].size === 0 || (second && second[1].size === first[1].size)) return null;
  return first[0];
}

export interface LocaleMismatch {
  /** the message's language */
  expected: Language;
  /** the language a stretch of it reads as */
  found: Language;
  /** that stretch, trimmed */
  excerpt: string;
  /** the other language's words in it */
  words: string[];
}

/** Sentences, clauses, parentheses, lines: where a foreign phrase shows as itself. */
const STRETCHES = /[\n.!?;:,()«»"“”]|\s[-–—]\s/;

/** Every stretch of a text that reads as another language than its locale's (none: it reads as one language). */
export function localeMismatches(text: string, locale: string): LocaleMismatch[] {
  const expected = languageOf(locale);
  const out: LocaleMismatch[] = [];
  for (const stretch of withoutLinks(stripMarkup(text)).split(STRETCHES)) {
    const hits = hitsIn(stretch);
    const own = hits.get(expected)?.size ?? 0;
    for (const [lang, words] of hits) {
      if (lang === expected || words.size < 2 || words.size <= own) continue;
      out.push({
        expected,
        found: lang,
        excerpt: stretch.trim().replace(/\s+/g, " ").slice(0, 120),
        words: [...words],
      });
    }
  }
  return out;
}

/** One line for a log, a timeline or a studio warning: `looks partly English: "Show the code…" (show, the, any)`. */
export function describeMismatch(m: LocaleMismatch, names: Record<Language, string>): string {
  return `looks partly ${names[m.found]}: "${m.excerpt}" (${m.words.slice(0, 5).join(", ")})`;
}
