/**
 * Template replay, pure: a draft rendered for past disruptions with the real renderer and the
 * variables recovery would use, beside the version in force, rendered for the same disruptions.
 * Nothing is sent: this only renders and compares.
 */
import { describeMismatch, localeMismatches } from "../locale/checker.ts";
import { LANGUAGE_NAMES } from "../locale/languages.ts";
import { isTemplateError } from "../templates/errors.ts";
import {
  type DiffLine,
  lineDiff,
  type PreviewData,
  renderPreview,
  type TemplateContent,
  type TemplateKey,
} from "../templates/studio.ts";

/** More SMS segments than this is over budget (the validator's warning threshold). */
export const SMS_SEGMENT_BUDGET = 1;

export interface ReplayMessage extends PreviewData {
  disruptionId: string;
}

export interface TemplateReplay {
  /** messages rendered (one per past disruption that used this template) */
  messages: number;
  /** whose text differs between the version in force and the draft */
  changed: number;
  /** up to `sample` of them, with a line diff of the customer's text */
  samples: { disruptionId: string; diff: DiffLine[] }[];
  /** SMS over SMS_SEGMENT_BUDGET, in force and with the draft */
  smsOverBudget: { before: number; after: number };
  /** messages the draft renders that read partly as another language, with one example each */
  languageWarnings: { disruptionId: string; warning: string }[];
  languageWarningCount: number;
  /** disruptions the draft cannot render for (an error a customer would have hit) */
  failures: { disruptionId: string; error: string }[];
}

/** The whole of a rendered message as the customer reads it (subject and text, or the SMS). */
function textOf(key: TemplateKey, content: TemplateContent, data: PreviewData) {
  const p = renderPreview(key, content, data);
  if (!p.ok) return { ok: false as const, error: p.error };
  if (p.channel === "sms") return { ok: true as const, text: p.rendered.body, segments: p.rendered.segments };
  return { ok: true as const, text: `Subject: ${p.rendered.subject}\n\n${p.rendered.text}`, segments: 0 };
}

export function replayTemplate(
  key: TemplateKey,
  inForce: TemplateContent,
  draft: TemplateContent,
  messages: readonly ReplayMessage[],
  sample = 3,
): TemplateReplay {
  const r: TemplateReplay = {
    messages: messages.length,
    changed: 0,
    samples: [],
    smsOverBudget: { before: 0, after: 0 },
    languageWarnings: [],
    languageWarningCount: 0,
    failures: [],
  };
  for (const m of messages) {
    let before: ReturnType<typeof textOf>;
    let after: ReturnType<typeof textOf>;
    try {
      before = textOf(key, inForce, m);
      after = textOf(key, draft, m);
    } catch (err) {
      if (!isTemplateError(err)) throw err;
      r.failures.push({ disruptionId: m.disruptionId, error: err.message });
      continue;
    }
    if (!after.ok) {
      r.failures.push({ disruptionId: m.disruptionId, error: after.error });
      continue;
    }
    if (before.ok && before.segments > SMS_SEGMENT_BUDGET) r.smsOverBudget.before++;
    if (after.segments > SMS_SEGMENT_BUDGET) r.smsOverBudget.after++;
    const found = localeMismatches(after.text, m.locale);
    if (found.length) {
      r.languageWarningCount++;
      if (r.languageWarnings.length < sample)
        r.languageWarnings.push({
          disruptionId: m.disruptionId,
          warning: found.map((f) => describeMismatch(f, LANGUAGE_NAMES)).join("; "),
        });
    }
    const was = before.ok ? before.text : "";
    if (was === after.text) continue;
    r.changed++;
    if (r.samples.length < sample) r.samples.push({ disruptionId: m.disruptionId, diff: lineDiff(was, after.text) });
  }
  return r;
}
