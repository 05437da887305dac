/** A gesture's texts per language on the policies page: one form per language, what customers read. */
import { CATALOG_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, type Language } from "../locale/languages.ts";
import { CsrfField } from "./layout.tsx";
import type { FieldError } from "./policy-forms.ts";

type Texts = { name: string; description: string; howToUse: string | null };
/** A catalog gesture as the policies page loads it: its own (English) texts and its translations. */
export type CatalogGesture = Texts & { id: string; texts: Array<Texts & { language: string }> };

export type TextValues = { name: string; description: string; howToUse: string };
export const TEXT_FIELDS: readonly [keyof TextValues, string][] = [
  ["name", "Name"],
  ["description", "Description"],
  ["howToUse", "How to use"],
];
const fieldLabel = (field: string) => TEXT_FIELDS.find(([f]) => f === field)?.[1] ?? field;

/** The texts form just posted: shown again with what was typed, its errors, or its language warnings. */
export interface TextDraft {
  gestureId: string;
  language: Language;
  values: TextValues;
  errors: FieldError[];
  warnings: string[];
}

/** The texts of a gesture in one language: the `Gesture` row's own in English, else its translation (if any). */
function textsIn(g: CatalogGesture, language: Language): TextValues | null {
  const t = language === CATALOG_LANGUAGE ? g : g.texts.find((x) => x.language === language);
  return t ? { name: t.name, description: t.description, howToUse: t.howToUse ?? "" } : null;
}

export function GestureTexts(props: { g: CatalogGesture; csrf: string; editor: boolean; draft?: TextDraft }) {
  const { g, draft } = props;
  const mine = draft?.gestureId === g.id ? draft : undefined;
  return (
    <details class="gesture-texts" data-gesture-texts={g.id} open={mine !== undefined}>
      <summary>What customers read about {g.id}, in each language</summary>
      {LANGUAGES.map((language) => {
        const d = mine?.language === language ? mine : undefined;
        const stored = textsIn(g, language);
        const values = d?.values ?? stored ?? { name: "", description: "", howToUse: "" };
        const action = `/dashboard/policies/gestures/${encodeURIComponent(g.id)}/texts/${language}`;
        return (
          <form class="policy-form" method="post" action={action} data-language={language}>
            <CsrfField token={props.csrf} />
            <strong>{LANGUAGE_NAMES[language]}</strong>
            {language === CATALOG_LANGUAGE ? <span class="muted">(the catalog's own texts)</span> : null}
            {stored ? null : <span class="muted">(not translated yet: these customers read the English)</span>}
            {TEXT_FIELDS.map(([field, label]) => {
              const error = d?.errors.find((e) => e.field === field);
              const errorId = `err-${g.id}-${language}-${field}`;
              return (
                <label>
                  {label}
                  <input
                    type="text"
                    name={field}
                    value={values[field]}
                    size={field === "name" ? 20 : 30}
                    aria-invalid={error ? "true" : undefined}
                    aria-describedby={error ? errorId : undefined}
                  />
                </label>
              );
            })}
            {props.editor ? <button type="submit">Save {LANGUAGE_NAMES[language]} texts</button> : null}
            {(d?.errors ?? []).map((e) => (
              <p class="field-error" id={`err-${g.id}-${language}-${e.field}`} data-field={e.field}>
                {fieldLabel(e.field)}: {e.message}
              </p>
            ))}
            {(d?.warnings ?? []).map((w) => (
              <p class="warning" role="status">
                Saved, but please check — {w}
              </p>
            ))}
          </form>
        );
      })}
    </details>
  );
}
