import { looksLike } from "./checker.ts";
import { type Language, languageOf } from "./languages.ts";
import { isReasonCode, REASON_PHRASES } from "./reason-phrases.ts";

/**
 * The reason a message gives, in the message's language: the event's free text when it is
 * written in that language (the locale checker's heuristic), else the code's phrase, else none —
 * every template reads naturally without a reason.
 */
export function reasonFor(
  facts: { reason?: unknown; reasonCode?: unknown },
  locale: string,
): { text: string; from: "event" | "code" } | null {
  const lang: Language = languageOf(locale);
  const free = typeof facts.reason === "string" ? facts.reason.trim() : "";
  if (free && looksLike(free) === lang) return { text: free, from: "event" };
  if (isReasonCode(facts.reasonCode)) return { text: REASON_PHRASES[facts.reasonCode][lang], from: "code" };
  return null;
}

/**
 * An event's free text (an issue summary, a correction note) as a message may quote it: unless it
 * reads as another language than the message's. Text the checker cannot place (a figure, a name)
 * is kept; the account lead's task, in the team's language, always has all of it.
 */
export function quotable(text: string | null | undefined, locale: string): string | null {
  if (!text) return null;
  const found = looksLike(text);
  return found === null || found === languageOf(locale) ? text : null;
}
