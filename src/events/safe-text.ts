import { z } from "zod";

/**
 * Text rules for anything an outside system sends us (QUALITY.md, "Bad input
 * that must get a clear 4xx"). Every string we may later put in an email
 * header, an SMS, an HTML body or a dashboard goes through one of the builders
 * below, so a rule is written once and applied everywhere.
 *
 * - control characters: never, except CR/LF/TAB in multi-line free text;
 * - line breaks (CR, LF, U+2028, U+2029): never in single-line fields
 *   (names, titles, subjects, references) — header injection;
 * - bidi controls and zero-width characters: never in text a person reads
 *   (U+061C, U+200B–U+200F, U+202A–U+202E, U+2060–U+2064, U+2066–U+2069, U+FEFF);
 * - HTML: no tag openings (`<b`, `</`, `<!--`, `<?`) and no `<script` in
 *   customer-supplied free text. A lone `<` before a digit or a space ("<2 days")
 *   is fine.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;
const INVISIBLE_OR_BIDI = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const HTML_TAG_START = /<\s*script|<[A-Za-z!/?]/i;

export const hasLineBreak = (s: string): boolean => LINE_BREAK.test(s);
/** Control characters other than CR, LF and TAB. */
export const hasControlChars = (s: string): boolean => CONTROL_EXCEPT_WHITESPACE.test(s);
export const hasAnyControlChars = (s: string): boolean => ANY_CONTROL.test(s);
export const hasInvisibleOrBidi = (s: string): boolean => INVISIBLE_OR_BIDI.test(s);
export const looksLikeHtml = (s: string): boolean => HTML_TAG_START.test(s);

/** Keys that, once merged into an object, reach its prototype. */
export const FORBIDDEN_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

export interface ForbiddenKey {
  key: string;
  path: (string | number)[];
}

/**
 * The first `__proto__` / `constructor` / `prototype` own key anywhere in a
 * parsed JSON value (objects and arrays, any depth), or null. Iterative, so a
 * deeply nested body cannot overflow the stack; shared or cyclic references
 * are visited once.
 */
export function findForbiddenKey(value: unknown): ForbiddenKey | null {
  interface Frame {
    node: unknown;
    key: string | number | null;
    parent: Frame | null;
  }
  const pathOf = (frame: Frame, last: string): (string | number)[] => {
    const reversed: (string | number)[] = [last];
    for (let f: Frame | null = frame; f !== null && f.key !== null; f = f.parent) reversed.push(f.key);
    return reversed.reverse();
  };
  const seen = new WeakSet<object>();
  const stack: Frame[] = [{ node: value, key: null, parent: null }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const node = frame.node;
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], key: i, parent: frame });
      continue;
    }
    const keys = Object.keys(node);
    const bad = keys.find((k) => FORBIDDEN_KEYS.includes(k));
    if (bad !== undefined) return { key: bad, path: pathOf(frame, bad) };
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i] as string;
      stack.push({ node: (node as Record<string, unknown>)[k], key: k, parent: frame });
    }
  }
  return null;
}

/** Wraps a schema so a forbidden key anywhere in the input fails first, naming its path. */
export function rejectForbiddenKeys<T extends z.ZodType>(schema: T) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      const found = findForbiddenKey(value);
      if (found) {
        ctx.addIssue({
          code: "custom",
          path: found.path,
          message: `the key "${found.key}" is not allowed`,
        });
      }
    })
    .pipe(schema);
}

const notBlank = (s: string) => s.trim().length > 0;

/**
 * An identifier sent by an ops system (event id, order id, booking ref…):
 * 1..max characters, no control, invisible or bidi characters.
 */
export const identifier = (max = 256) =>
  z
    .string()
    .min(1, { message: "must not be empty", abort: true })
    .max(max, { message: `must be at most ${max} characters`, abort: true })
    .refine(notBlank, "must not be blank")
    .refine((s) => !hasAnyControlChars(s) && !hasLineBreak(s), "must not contain control characters or line breaks")
    .refine((s) => !hasInvisibleOrBidi(s), "must not contain invisible or bidi control characters");

/** One line of operational text (carrier name, channel): no line breaks, no control or invisible characters. */
export const singleLine = (max: number) =>
  z
    .string()
    .min(1, { message: "must not be empty", abort: true })
    .max(max, { message: `must be at most ${max} characters`, abort: true })
    .refine(notBlank, "must not be blank")
    .refine((s) => !hasLineBreak(s), { message: "must be a single line (no CR/LF)", abort: true })
    .refine((s) => !hasAnyControlChars(s), "must not contain control characters")
    .refine((s) => !hasInvisibleOrBidi(s), "must not contain invisible or bidi control characters");

/**
 * Text a person wrote or will read (names, reasons, titles, summaries): like
 * `singleLine`, or multi-line when asked, and never HTML.
 */
export const humanText = (max: number, opts: { multiline?: boolean } = {}) => {
  const base = z
    .string()
    .min(1, { message: "must not be empty", abort: true })
    .max(max, { message: `must be at most ${max} characters`, abort: true })
    .refine(notBlank, "must not be blank");
  const lines = opts.multiline
    ? base.refine((s) => !hasControlChars(s), "must not contain control characters")
    : base
        .refine((s) => !hasLineBreak(s), { message: "must be a single line (no CR/LF)", abort: true })
        .refine((s) => !hasAnyControlChars(s), "must not contain control characters");
  return lines
    .refine((s) => !hasInvisibleOrBidi(s), "must not contain invisible or bidi control characters")
    .refine((s) => !looksLikeHtml(s), "must be plain text, not HTML");
};
