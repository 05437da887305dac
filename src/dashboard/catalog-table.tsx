/**
 * The policies page's gesture catalog as a table: each gesture a row in words (what it is, what it
 * is worth, which policies give it, whether it is still given), its form and its texts in each
 * language folded under the row, as the policy tables do.
 */
import type { CatalogGesture, TextDraft } from "./gesture-texts-view.tsx";
import { GestureTexts } from "./gesture-texts-view.tsx";
import { CsrfField } from "./layout.tsx";
import { Field, type PolicyRow } from "./policy-tables.tsx";
import { gestureKindLabel, money } from "./words.ts";

export type CatalogRow = CatalogGesture & {
  kind: string;
  value: unknown;
  currency: string;
  active: boolean;
};

export const gesturePath = (id: string) => `/dashboard/policies/gestures/${encodeURIComponent(id)}`;

const COLUMNS = ["Gesture", "Kind", "Value", "Given by", "Status"] as const;

/** "2 policies, and 1 as the fallback", or "no policy". */
export function givenBy(id: string, policies: readonly PolicyRow[]): string {
  const direct = policies.filter((p) => p.gestureId === id).length;
  const fallback = policies.filter((p) => p.fallbackGestureId === id).length;
  if (direct === 0 && fallback === 0) return "no policy";
  const policiesWord = (n: number) => (n === 1 ? "1 policy" : `${n} policies`);
  if (!fallback) return policiesWord(direct);
  if (!direct) return `${policiesWord(fallback)}, as the fallback`;
  return `${policiesWord(direct)}, and ${fallback} as the fallback`;
}

function GestureForm(props: { g: CatalogRow; csrf: string }) {
  const { g } = props;
  return (
    <form class="policy-form" method="post" action={gesturePath(g.id)}>
      <CsrfField token={props.csrf} />
      <Field label="Name" name="name" value={g.name} />
      <Field label="Description" name="description" value={g.description} size={30} />
      <Field label="How to use" name="howToUse" value={g.howToUse} size={30} />
      <Field label="Value" name="value" value={Number(g.value)} size={6} />
      <Field label="Currency" name="currency" value={g.currency} size={4} />
      <label class="check">
        <input type="checkbox" name="active" value="on" checked={g.active} /> active
      </label>
      <button type="submit">Save</button>
    </form>
  );
}

export function CatalogTable(props: {
  gestures: readonly CatalogRow[];
  policies: readonly PolicyRow[];
  csrf: string;
  editor: boolean;
  draft?: TextDraft;
}) {
  const { gestures, policies, csrf, editor } = props;
  return (
    <table class="policy-table catalog-table">
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th scope="col">{c}</th>
          ))}
        </tr>
      </thead>
      {gestures.map((g) => (
        <tbody data-gesture={g.id}>
          <tr>
            <td data-label="Gesture">
              {g.name} <span class="muted">({g.id})</span>
            </td>
            <td data-label="Kind">{gestureKindLabel(g.kind)}</td>
            <td data-label="Value">{money(g.value, g.currency)}</td>
            <td data-label="Given by">{givenBy(g.id, policies)}</td>
            <td data-label="Status">{g.active ? "Given" : "Retired: not given"}</td>
          </tr>
          <tr class="policy-edit">
            <td colspan={COLUMNS.length}>
              {editor ? (
                <details>
                  <summary>
                    Change <span class="visually-hidden">{g.name}</span>
                  </summary>
                  <GestureForm g={g} csrf={csrf} />
                </details>
              ) : null}
              <GestureTexts g={g} csrf={csrf} editor={editor} draft={props.draft} />
            </td>
          </tr>
        </tbody>
      ))}
    </table>
  );
}
