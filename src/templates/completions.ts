/**
 * What the template editor offers as you type (the studio passes it to the page as JSON): the
 * variables a template of this kind may read — the same declared paths the validator accepts —
 * each with its kind of value and the sample value the preview uses, the filters and the tags
 * the hardened Liquid allows. Pure: data in, list out.
 */
import { ALLOWED_FILTERS, ALLOWED_TAGS } from "./liquid.ts";
import { declaredPaths, sampleVariables, type TemplateKind, variableShape } from "./variables.ts";

export type CompletionType = "text" | "number" | "yes/no" | "time" | "list";

export interface VariableCompletion {
  /** the path as written in a template: "customer.firstName" */
  path: string;
  type: CompletionType;
  /** the sample value (as the preview shows it), shortened; absent when the sample leaves it empty */
  sample?: string;
}

export interface EditorCompletions {
  variables: VariableCompletion[];
  filters: string[];
  tags: string[];
}

/** Tags that only make sense inside a block; offered anyway, since they are what one types next. */
const BLOCK_PARTS = ["elsif", "else", "when", "endif", "endunless", "endcase", "endfor", "endcapture", "endcomment"];
const SAMPLE_LENGTH = 60;

function valueAt(data: unknown, path: string): unknown {
  let v = data;
  for (const seg of path.split(".")) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

function sampleText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = Array.isArray(value) ? `${value.length} item${value.length === 1 ? "" : "s"}` : String(value);
  return text.length > SAMPLE_LENGTH ? `${text.slice(0, SAMPLE_LENGTH - 1)}…` : text;
}

function typeAt(kind: TemplateKind, path: string): CompletionType | null {
  let s = variableShape(kind);
  for (const seg of path.split(".")) {
    if (s.type !== "object") return null;
    const next = s.fields[seg];
    if (!next) return null;
    s = next;
  }
  if (s.type === "array") return "list";
  if (s.type === "object") return null; // a group: its fields are offered instead
  if (s.roles.has("instant")) return "time";
  return s.scalar === "number" ? "number" : s.scalar === "boolean" ? "yes/no" : "text";
}

/** The completions for a template of `kind`, with samples in `locale`'s language. */
export function editorCompletions(kind: TemplateKind, locale: string): EditorCompletions {
  const sample = sampleVariables(kind, locale);
  const variables: VariableCompletion[] = [];
  for (const { path } of declaredPaths(kind)) {
    const type = typeAt(kind, path);
    if (!type) continue;
    const shown = sampleText(valueAt(sample, path));
    variables.push(shown === undefined ? { path, type } : { path, type, sample: shown });
  }
  return {
    variables,
    filters: [...ALLOWED_FILTERS].sort(),
    tags: [...[...ALLOWED_TAGS].filter((t) => t !== "#").sort(), ...BLOCK_PARTS],
  };
}
