/**
 * The template editor in the browser (bundled by scripts/build-editor.ts, served by ./asset.ts).
 * Progressive enhancement: each `textarea[data-liquid]` of the studio's form gets a CodeMirror 6
 * editor (Liquid over HTML highlighted, lines wrapped, undo, autocomplete of the variables, filters
 * and tags the template may use, from the form's `data-completions` JSON) and stays in the form,
 * hidden, kept in sync — so the form posts exactly what it posts without JavaScript. After an edit
 * the preview and the side-by-side panes are refreshed from the studio's own preview route.
 */
import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
  completionKeymap,
} from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { liquid } from "@codemirror/lang-liquid";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorView, keymap } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";
import { liquidSpot } from "./liquid-spot.ts";

interface EditorCompletions {
  variables: Array<{ path: string; type: string; sample?: string }>;
  filters: string[];
  tags: string[];
}

/** Fixed class names (styled by the studio's stylesheet, light and dark), so no generated CSS is needed. */
const highlight = HighlightStyle.define([
  { tag: [t.variableName, t.propertyName], class: "tok-var" },
  { tag: t.function(t.variableName), class: "tok-filter" },
  {
    tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.operatorKeyword, t.moduleKeyword],
    class: "tok-keyword",
  },
  { tag: [t.brace], class: "tok-liquid" },
  { tag: [t.string, t.attributeValue], class: "tok-string" },
  { tag: [t.number, t.bool, t.atom], class: "tok-atom" },
  { tag: [t.lineComment, t.blockComment, t.comment], class: "tok-comment" },
  { tag: [t.tagName, t.angleBracket], class: "tok-tag" },
  { tag: t.attributeName, class: "tok-attr" },
]);

const LOOK_BACK = 400;

function completionSource(c: EditorCompletions) {
  const variables: Completion[] = c.variables.map((v) => ({
    label: v.path,
    type: "variable",
    detail: v.type,
    info: v.sample === undefined ? "empty in the sample data" : `sample: ${v.sample}`,
  }));
  const filters: Completion[] = c.filters.map((f) => ({ label: f, type: "function", detail: "filter" }));
  const tags: Completion[] = c.tags.map((g) => ({ label: g, type: "keyword", detail: "tag" }));
  return (context: CompletionContext): CompletionResult | null => {
    const before = context.state.doc.sliceString(Math.max(0, context.pos - LOOK_BACK), context.pos);
    const spot = liquidSpot(before);
    if (!spot) return null;
    const from = context.pos - spot.word.length;
    if (spot.what === "filter") return { from, options: filters, validFor: /^\w*$/ };
    if (spot.what === "tag") return { from, options: tags, validFor: /^\w*$/ };
    return { from, options: variables, validFor: /^[\w.]*$/ };
  };
}

/** Refreshes the preview panes from the studio's preview route (what the Preview button shows), latest edit wins. */
function livePreview(form: HTMLFormElement): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const refresh = async () => {
    const mine = ++latest;
    const panes = [...document.querySelectorAll<HTMLElement>("[data-live]")];
    for (const p of panes) p.setAttribute("aria-busy", "true");
    try {
      const body = new URLSearchParams();
      for (const [name, value] of new FormData(form)) if (typeof value === "string") body.append(name, value);
      const response = await fetch(form.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "x-studio-panes": "1" },
      });
      if (!response.ok || mine !== latest) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html"); // the panes only
      for (const pane of panes) {
        const fresh = page.querySelector(`[data-live="${pane.dataset.live}"]`);
        if (fresh) pane.replaceChildren(...[...fresh.childNodes].map((n) => document.importNode(n, true)));
      }
    } catch {
      // The Preview button still works; a failed refresh leaves the last preview in place.
    } finally {
      if (mine === latest) for (const p of panes) p.removeAttribute("aria-busy");
    }
  };
  return () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  };
}

function enhance(textarea: HTMLTextAreaElement, completions: EditorCompletions, nonce: string, changed: () => void) {
  const label = textarea.id ? document.querySelector<HTMLLabelElement>(`label[for="${textarea.id}"]`) : null;
  if (label && !label.id) label.id = `${textarea.id}-label`;
  const view = new EditorView({
    doc: textarea.value,
    extensions: [
      EditorView.cspNonce.of(nonce),
      history(),
      keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
      liquid(),
      syntaxHighlighting(highlight),
      autocompletion({ override: [completionSource(completions)], icons: false }),
      EditorView.lineWrapping,
      // (not classList: the view rewrites its own class attribute on updates)
      EditorView.editorAttributes.of({ class: `liquid-editor liquid-editor-${textarea.name}` }),
      EditorView.contentAttributes.of({
        ...(label ? { "aria-labelledby": label.id } : {}),
        "data-editor-for": textarea.name,
        spellcheck: "false",
      }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        textarea.value = update.state.doc.toString();
        changed();
      }),
    ],
  });
  textarea.after(view.dom);
  textarea.hidden = true;
  label?.addEventListener("click", () => view.focus());
}

function start(nonce: string) {
  for (const form of document.querySelectorAll<HTMLFormElement>("form[data-completions]")) {
    const completions = JSON.parse(form.dataset.completions ?? "{}") as EditorCompletions;
    const changed = livePreview(form);
    for (const textarea of form.querySelectorAll<HTMLTextAreaElement>("textarea[data-liquid]"))
      enhance(textarea, completions, nonce, changed);
  }
}

// The page's CSP nonce (CodeMirror's few style rules carry it); currentScript is only set while this first runs.
const pageNonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? "";
if (document.readyState === "loading")
  document.addEventListener("DOMContentLoaded", () => start(pageNonce), { once: true });
else start(pageNonce);
