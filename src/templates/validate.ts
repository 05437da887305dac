import type { Liquid } from "liquidjs";
import { describeMismatch, localeMismatches } from "../locale/checker.ts";
import { LANGUAGE_NAMES } from "../locale/languages.ts";
import { TemplateError, type TemplatePart } from "./errors.ts";
import { htmlIssues } from "./html-safety.ts";
import { frictionPhrases, lineOf, normalizeForMatch, PROMOTIONAL_WORDS } from "./language.ts";
import { createLiquid, DEFAULT_LIMITS, type LiquidLimits, type OutputMode } from "./liquid.ts";
import { renderPart, toTemplateError } from "./render.ts";
import { scanTemplate } from "./scan.ts";
import { analyzeSms, describeCharacter, isGsm7Char } from "./sms.ts";
import { didYouMean } from "./suggest.ts";
import { htmlToText } from "./text.ts";
import {
  DYNAMIC,
  declaredPaths,
  lookupPath,
  type Segment,
  sampleVariables,
  type TemplateKind,
  type TemplateVariables,
} from "./variables.ts";

export type IssueCode =
  | TemplateError["code"]
  | "raw_output"
  | "html_script"
  | "html_unsafe_element"
  | "html_event_handler"
  | "html_javascript_url"
  | "unquoted_attribute"
  | "sms_too_long"
  | "sms_multi_segment"
  | "sms_ucs2_character"
  | "sms_missing_opt_out"
  | "subject_newline"
  | "subject_promotional"
  | "gesture_unguarded"
  | "generic_phrase"
  | "no_specific_time"
  | "no_next_step"
  | "mixed_language";

export interface Issue {
  code: IssueCode;
  message: string;
  line?: number;
  part?: TemplatePart;
}
export interface ValidationResult {
  errors: Issue[];
  warnings: Issue[];
}

export type ValidateInput =
  | { kind: TemplateKind; channel: "email"; subject?: string; html?: string; text?: string; locale?: string }
  | { kind: TemplateKind; channel: "sms"; body?: string; locale?: string };

export interface ValidateOptions {
  /** UTF-8 bytes per part (default 20 KB) */
  maxBytes?: number;
  /** more segments than this is a warning (default 1) */
  smsWarnSegments?: number;
  /** more segments than this is an error (default 3) */
  smsMaxSegments?: number;
  limits?: Partial<LiquidLimits>;
}

/** The language-check codes: warnings about how a message reads rather than whether it works. */
export const LANGUAGE_CODES: ReadonlySet<IssueCode> = new Set([
  "generic_phrase",
  "no_specific_time",
  "no_next_step",
  "mixed_language",
]);

const MODE: Record<TemplatePart, OutputMode> = { subject: "subject", html: "html", text: "text", body: "sms" };

class Issues {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  constructor(private readonly part: TemplatePart) {}
  private add(list: Issue[], code: IssueCode, message: string, line?: number) {
    if (list.some((i) => i.code === code && i.message === message && i.part === this.part)) return;
    list.push({ code, message: `${this.part}: ${message}`, part: this.part, ...(line ? { line } : {}) });
  }
  error = (code: IssueCode, message: string, line?: number) => this.add(this.errors, code, message, line);
  warn = (code: IssueCode, message: string, line?: number) => this.add(this.warnings, code, message, line);
}

const segmentsOf = (v: { segments: ReadonlyArray<string | number | { segments: unknown[] }> }): Segment[] =>
  v.segments.map((s) => (typeof s === "object" ? DYNAMIC : s));
const pathString = (segs: Segment[]) => segs.map((s) => (s === DYNAMIC ? "[…]" : String(s))).join(".");

/** Unknown variables (named, with a suggestion) and the roles of the variables the template uses. */
function checkVariables(liquid: Liquid, source: string, kind: TemplateKind, out: Issues) {
  const analysis = liquid.parseAndAnalyzeSync(source, undefined, { partials: false });
  const declared = declaredPaths(kind);
  const roles = new Set<string>();
  const used = new Set<string>();
  let unknown = false;
  for (const variables of Object.values(analysis.globals)) {
    for (const v of variables) {
      const segs = segmentsOf(v);
      const found = lookupPath(kind, segs);
      if (found.ok) {
        used.add(pathString(segs));
        for (const r of found.shape.roles) roles.add(r);
        continue;
      }
      unknown = true;
      const name = pathString(segs.slice(0, found.failedAt + 1));
      const full = pathString(segs);
      const hint = didYouMean(
        full,
        declared.map((d) => d.path),
      );
      const inside = name === full ? "" : ` (in "${full}")`;
      out.error(
        "unknown_variable",
        `unknown variable "${name}"${inside} on line ${v.location.row}.${hint}`,
        v.location.row,
      );
    }
  }
  return { roles, used, unknown };
}

function checkSubject(source: string, rendered: string | undefined, out: Issues) {
  const nl = source.search(/[\r\n]/);
  if (nl >= 0) {
    const line = source.slice(0, nl).split("\n").length;
    out.error(
      "subject_newline",
      `the subject contains a line break after line ${line}; a subject must be one line`,
      line,
    );
  }
  const text = `${source}\n${rendered ?? ""}`;
  for (const [label, re] of PROMOTIONAL_WORDS) {
    if (re.test(text)) {
      out.warn(
        "subject_promotional",
        `"${label}" in a subject reads like a promotion, which can make a service message count as marketing`,
      );
    }
  }
}

function checkSmsSource(source: string, used: Set<string>, out: Issues) {
  source.split("\n").forEach((text, i) => {
    const seen = new Set<string>();
    for (const ch of text) {
      if (isGsm7Char(ch) || seen.has(ch)) continue;
      seen.add(ch);
      out.warn(
        "sms_ucs2_character",
        `${describeCharacter(ch)} on line ${i + 1} is not in the GSM-7 alphabet: the whole SMS switches to UCS-2 (70 characters per segment instead of 160)`,
        i + 1,
      );
    }
  });
  if (!used.has("optOutText") && !/\bSTOP\b/.test(source)) {
    out.error("sms_missing_opt_out", "the SMS has no opt-out line: end it with {{ optOutText }}");
  }
}

function checkLanguage(
  part: TemplatePart,
  source: string,
  rendered: string,
  roles: Set<string>,
  locale: string,
  out: Issues,
) {
  const readable = part === "html" ? htmlToText(rendered) : rendered;
  // One language per message: the template's own words and the sample as a customer reads it
  // (its reason and gesture texts chosen the way a real message chooses them).
  for (const m of localeMismatches(readable, locale)) {
    const line = lineOf(source, m.words[0] ?? "");
    out.warn(
      "mixed_language",
      `${describeMismatch(m, LANGUAGE_NAMES)} in a ${LANGUAGE_NAMES[m.expected]} template${line ? ` (line ${line})` : ""}`,
      line,
    );
  }
  for (const phrase of frictionPhrases(readable)) {
    const line = lineOf(source, phrase);
    out.warn(
      "generic_phrase",
      `"${phrase}" is generic; say what happens, when, and who does it${line ? ` (line ${line})` : ""}`,
      line,
    );
  }
  if (part === "subject") return;
  if (!roles.has("instant")) {
    out.warn(
      "no_specific_time",
      "the message gives no specific time: use a time variable such as the new ETA or departure with | datetime",
    );
  }
  if (!roles.has("nextStep")) {
    out.warn(
      "no_next_step",
      "the message names no contact and no next step: use contact.name, a link (tracking, rebooking) or gesture.howToUse",
    );
  }
}

function validatePart<K extends TemplateKind>(
  kind: K,
  part: TemplatePart,
  source: string,
  sample: TemplateVariables<K>,
  opts: Required<Omit<ValidateOptions, "limits">> & { limits: Partial<LiquidLimits> },
  out: Issues,
) {
  const bytes = new TextEncoder().encode(source).length;
  if (bytes > opts.maxBytes) {
    out.error("template_too_large", `the template is ${bytes} bytes; the limit is ${opts.maxBytes}`);
    return;
  }
  const s = sample as Record<string, unknown> & { locale: string; timeZone: string };
  const ctx = { variables: s, locale: s.locale, timeZone: s.timeZone, limits: opts.limits };
  const liquid = createLiquid({ mode: MODE[part], ...ctx });

  try {
    const scanned = scanTemplate(liquid, source);
    for (const i of scanned) {
      if (i.code === "gesture_unguarded") out.warn(i.code, i.message, i.line);
      else out.error(i.code, i.message, i.line);
    }
    if (out.errors.length) return;
    liquid.parse(source);
  } catch (err) {
    const e = toTemplateError(err, part);
    out.error(e.code, e.message, e.details.line);
    return;
  }

  const { roles, used, unknown } = checkVariables(liquid, source, kind, out);
  if (part === "html") for (const i of htmlIssues(source, "source")) out.error(i.code, i.message, i.line);
  if (unknown) return;

  let rendered: string;
  try {
    rendered = renderPart(source, part, s, ctx);
  } catch (err) {
    const e = err instanceof TemplateError ? err : toTemplateError(err, part);
    out.error(e.code, `rendering the sample data failed: ${e.message}`, e.details.line);
    return;
  }

  if (part === "html") {
    // only what the source check could not see (markup split by tags in the source)
    for (const i of htmlIssues(rendered, "rendered")) {
      if (!out.errors.some((e) => e.code === i.code)) out.error(i.code, i.message);
    }
  }
  if (part === "subject") checkSubject(source, rendered, out);
  if (part === "body") {
    checkSmsSource(source, used, out);
    const sms = analyzeSms(rendered);
    const what = `the sample renders to ${sms.length} ${sms.encoding} characters, ${sms.segments} segments`;
    if (sms.segments > opts.smsMaxSegments) out.error("sms_too_long", `${what}; the limit is ${opts.smsMaxSegments}`);
    else if (sms.segments > opts.smsWarnSegments) out.warn("sms_multi_segment", `${what}; each segment is billed`);
  }
  checkLanguage(part, source, rendered, roles, s.locale, out);

  // A gesture awaiting approval must not show: render as if it were pending and look for it.
  const g = (sample as { gesture?: { code: string | null; description: string | null } }).gesture;
  if (g && !out.warnings.some((w) => w.code === "gesture_unguarded")) {
    const pending = { ...s, gesture: { ...g, pendingApproval: true } };
    const shown = [g.code, g.description].filter((x): x is string => !!x);
    try {
      const text = normalizeForMatch(renderPart(source, part, pending, ctx));
      const leaked = shown.find((x) => text.includes(normalizeForMatch(x)));
      if (leaked) {
        out.warn(
          "gesture_unguarded",
          `"${leaked}" is shown while gesture.pendingApproval is true; wrap the gesture in {% unless gesture.pendingApproval %}`,
        );
      }
    } catch {
      // already reported by the normal render
    }
  }
}

/** Save-time validation of one message (all parts of an email, or an SMS) against its kind. */
export function validateTemplate(input: ValidateInput, options: ValidateOptions = {}): ValidationResult {
  const opts = {
    maxBytes: options.maxBytes ?? 20 * 1024,
    smsWarnSegments: options.smsWarnSegments ?? 1,
    smsMaxSegments: options.smsMaxSegments ?? 3,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  };
  const sample = sampleVariables(input.kind, input.locale ?? "en");
  const parts: Array<[TemplatePart, string | undefined]> =
    input.channel === "sms"
      ? [["body", input.body]]
      : [
          ["subject", input.subject],
          ["html", input.html],
          ["text", input.text],
        ];
  const result: ValidationResult = { errors: [], warnings: [] };
  for (const [part, source] of parts) {
    const out = new Issues(part);
    if (source === undefined || source.trim() === "") {
      if (part === "text") out.warn("missing_part", "no text alternative; one will be derived from the HTML");
      else out.error("missing_part", `the ${part} is empty`);
    } else {
      validatePart(input.kind, part, source, sample, opts, out);
    }
    result.errors.push(...out.errors);
    result.warnings.push(...out.warnings);
  }
  return result;
}
