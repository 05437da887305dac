/** The template studio's views: the list, the editor with its preview and checks, the version history. */
import { raw } from "hono/html";
import type { TemplateVersion } from "../db/generated/node/client.ts";
import type { EditorCompletions } from "../templates/completions.ts";
import {
  keyLabel,
  lineDiff,
  type listTemplates,
  type Preview,
  type TemplateContent,
  type TemplateKey,
  versionText,
} from "../templates/studio.ts";
import type { Issue, ValidationResult } from "../templates/validate.ts";
import { EDITOR_SCRIPT_PATH } from "./editor/asset.ts";
import { CsrfField } from "./layout.tsx";

export const BASE = "/dashboard/templates";
export const EDITOR = `${BASE}/:kind/:channel/:locale`;
export const keyPath = (k: TemplateKey) => `${BASE}/${k.kind}/${k.channel}/${k.locale}`;

const STUDIO_CSS = `
.studio { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.25rem; align-items: start; }
@media (max-width: 60rem) { .studio { grid-template-columns: 1fr; } }
.studio textarea { font: 13px/1.45 ui-monospace, monospace; min-height: 8rem; }
.studio textarea[name=html] { min-height: 18rem; }
.studio .liquid-editor { border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg);
  font: 13px/1.45 ui-monospace, monospace; }
.studio .liquid-editor .cm-scroller { font: inherit; }
.studio .liquid-editor .cm-content { min-height: 6rem; padding: .5rem 0; caret-color: var(--fg); }
.studio .liquid-editor-subject .cm-content { min-height: 2rem; }
.studio .liquid-editor-html .cm-content { min-height: 18rem; }
.studio .liquid-editor.cm-focused { outline: 3px solid var(--accent); outline-offset: 2px; }
.studio .liquid-editor .cm-tooltip { background: var(--card); color: var(--fg); border: 1px solid var(--line); }
.studio .liquid-editor .cm-tooltip-autocomplete > ul > li[aria-selected] { background: var(--accent); color: #fff; }
.studio .liquid-editor .cm-completionDetail { color: inherit; opacity: .8; }
.tok-var { color: #1a4f9c; } .tok-filter { color: #7026c9; } .tok-keyword { color: #a0156b; font-weight: 600; }
.tok-liquid { color: #0b6e4f; font-weight: 700; } .tok-string { color: #9a3800; } .tok-atom { color: #5c4a00; }
.tok-comment { color: var(--muted); font-style: italic; } .tok-tag { color: #116644; } .tok-attr { color: #6b4f00; }
@media (prefers-color-scheme: dark) {
  .tok-var { color: #8cc4ff; } .tok-filter { color: #d0a8ff; } .tok-keyword { color: #ff9ad5; }
  .tok-liquid { color: #4cc38a; } .tok-string { color: #ffb37a; } .tok-atom { color: #e6d27a; }
  .tok-tag { color: #7ee0b0; } .tok-attr { color: #e0c070; }
}
.issues { margin: .5rem 0; padding-left: 1.25rem; }
.warnings li { color: #8a5a00; }
.sms-bubble { white-space: pre-wrap; background: var(--bg); border: 1px solid var(--line); border-radius: 12px; padding: .75rem; }
.email-frame { width: 100%; height: 26rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.facts { display: flex; gap: 1rem; flex-wrap: wrap; margin: .5rem 0; }
.facts span { background: var(--bg); border: 1px solid var(--line); border-radius: 999px; padding: .1rem .6rem; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; margin-top: 1rem; align-items: center; }
.notice { border-left: 3px solid var(--accent); padding-left: .75rem; }
pre.diff { font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; margin: .5rem 0; }
pre.diff .add { background: rgba(11, 110, 79, .15); display: block; }
pre.diff .del { background: rgba(179, 38, 30, .15); display: block; }
pre.diff .same { display: block; }
.side-by-side { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .75rem; }
@media (max-width: 60rem) { .side-by-side { grid-template-columns: 1fr; } }
.side-by-side figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: .5rem .75rem; min-width: 0; }
.side-by-side figure.current { border-color: var(--accent); box-shadow: 0 0 0 1px var(--accent); }
.side-by-side figcaption { font-weight: 600; margin-bottom: .25rem; }
.side-by-side .email-frame { height: 20rem; }
`;

const Css = (props: { nonce: string }) => <style nonce={props.nonce}>{raw(STUDIO_CSS)}</style>;

function IssueList(props: { validation: ValidationResult }) {
  const { errors, warnings } = props.validation;
  const item = (i: Issue) => <li data-code={i.code}>{i.message}</li>;
  return (
    <>
      {errors.length ? (
        <div class="error" role="alert">
          <strong>
            {errors.length} error{errors.length === 1 ? "" : "s"} — not saved until fixed
          </strong>
          <ul class="issues errors">{errors.map(item)}</ul>
        </div>
      ) : null}
      {warnings.length ? (
        <div class="warnings-box">
          <strong>
            {warnings.length} warning{warnings.length === 1 ? "" : "s"}
          </strong>
          <ul class="issues warnings">{warnings.map(item)}</ul>
        </div>
      ) : null}
      {!errors.length && !warnings.length ? <p class="muted">No errors or warnings.</p> : null}
    </>
  );
}

function PreviewPane(props: { preview: Preview; publishedSegments: number | null; source: string }) {
  const { preview } = props;
  if (!preview.ok)
    return (
      <p class="error" role="alert">
        The preview could not be rendered: {preview.error}
      </p>
    );
  if (preview.channel === "sms") {
    const r = preview.rendered;
    return (
      <>
        <p class="muted">Preview with {props.source}</p>
        <div class="sms-bubble" data-testid="sms-preview">
          {r.body}
        </div>
        <p class="facts sms-facts">
          <span class="encoding">{r.encoding}</span>
          <span class="length">{r.length} characters</span>
          <span class="segments">
            {r.segments} segment{r.segments === 1 ? "" : "s"}
          </span>
          {props.publishedSegments !== null ? (
            <span class="segment-change">
              published version: {props.publishedSegments} segment{props.publishedSegments === 1 ? "" : "s"}
              {props.publishedSegments === r.segments
                ? " (no change)"
                : ` (${r.segments > props.publishedSegments ? "+" : ""}${r.segments - props.publishedSegments})`}
            </span>
          ) : null}
        </p>
      </>
    );
  }
  const r = preview.rendered;
  return (
    <>
      <p class="muted">Preview with {props.source}</p>
      <p>
        <strong>Subject:</strong> <span class="subject-preview">{r.subject}</span>
      </p>
      <iframe class="email-frame" title="Email preview" sandbox="" srcdoc={r.html} />
      <details>
        <summary>Text version</summary>
        <pre class="sms-bubble">{r.text}</pre>
      </details>
    </>
  );
}

/** One cell of the side-by-side preview: a channel × language of the same kind. */
export interface SiblingPreview {
  key: TemplateKey;
  language: string;
  preview: Preview;
  /** the template being edited (its preview is the editor's content) */
  current: boolean;
  /** what is shown: the editor's text, a pending draft, the published version or the bundled default */
  source: string;
}

function SideBySide(props: { siblings: SiblingPreview[] }) {
  return (
    <section class="card" data-testid="side-by-side" data-live="siblings">
      <h2>Every channel and language, side by side</h2>
      <p class="muted">Each with the sample data of its language; the one you are editing shows your text.</p>
      <div class="side-by-side">
        {props.siblings.map((x) => (
          <figure
            class={x.current ? "current" : undefined}
            data-channel={x.key.channel}
            data-locale={x.key.locale}
            aria-current={x.current ? "true" : undefined}
          >
            <figcaption>
              {x.language} · {x.key.channel === "sms" ? "SMS" : "email"}{" "}
              {x.current ? null : <a href={keyPath(x.key)}>edit</a>}
            </figcaption>
            <p class="muted">{x.source}</p>
            <SiblingPane preview={x.preview} />
          </figure>
        ))}
      </div>
    </section>
  );
}

function SiblingPane(props: { preview: Preview }) {
  const p = props.preview;
  if (!p.ok) return <p class="error">Could not render: {p.error}</p>;
  if (p.channel === "sms")
    return (
      <>
        <div class="sms-bubble">{p.rendered.body}</div>
        <p class="facts">
          <span>{p.rendered.encoding}</span>
          <span>
            {p.rendered.segments} segment{p.rendered.segments === 1 ? "" : "s"}
          </span>
        </p>
      </>
    );
  return (
    <>
      <p>
        <strong>Subject:</strong> {p.rendered.subject}
      </p>
      <iframe class="email-frame" title="Email preview" sandbox="" srcdoc={p.rendered.html} />
    </>
  );
}

export interface EditorState {
  key: TemplateKey;
  content: TemplateContent;
  validation: ValidationResult;
  preview: Preview;
  previewSource: string;
  disruptionId: string;
  disruptions: Array<{ id: string; label: string }>;
  published: TemplateVersion | null;
  publishedSegments: number | null;
  /** the draft this page may publish (just saved, or the newest pending one) */
  draft: TemplateVersion | null;
  notice?: string;
  /** this kind in every channel × language (email row, then SMS row) */
  siblings: SiblingPreview[];
  /** what the editor offers as you type: the variables this kind may use, filters, tags */
  completions: EditorCompletions;
}

function PreviewSection(props: { s: EditorState }) {
  const { s } = props;
  return (
    <section class="card" data-live="preview">
      <h2>Preview</h2>
      <PreviewPane preview={s.preview} publishedSegments={s.publishedSegments} source={s.previewSource} />
      <h2>Checks</h2>
      <IssueList validation={s.validation} />
    </section>
  );
}

/**
 * Only the panes the editor refreshes as you type (the preview with its checks, the side-by-side):
 * what the preview route answers to the editor's script (`x-studio-panes: 1`), a fragment without the
 * page's styles — whose nonce is not this page's.
 */
export function LivePanes(props: { s: EditorState }) {
  return (
    <div>
      <PreviewSection s={props.s} />
      <SideBySide siblings={props.s.siblings} />
    </div>
  );
}

export function EditorPage(props: { s: EditorState; csrf: string; nonce: string }) {
  const { s } = props;
  const path = keyPath(s.key);
  const textarea = (name: keyof TemplateContent, label: string, rows: number) => (
    <>
      <label for={`f-${name}`}>{label}</label>
      <textarea id={`f-${name}`} name={name} rows={rows} spellcheck={false} data-liquid="">
        {s.content[name] ?? ""}
      </textarea>
    </>
  );
  return (
    <>
      <Css nonce={props.nonce} />
      <p>
        <a href={BASE}>← Templates</a> · <a href={`${path}/versions`}>Version history</a>
      </p>
      <h1>
        {s.key.kind} · {s.key.channel} · {s.key.locale}
      </h1>
      <p class="muted">
        {s.published ? `Published: version ${s.published.version}` : "Not published: recovery uses the bundled default"}
        {s.draft ? ` · Draft: version ${s.draft.version}` : ""}
      </p>
      {s.notice ? (
        <p class="notice" role="status">
          {s.notice}
        </p>
      ) : null}
      <div class="studio">
        <section class="card">
          <form method="post" action={`${path}/preview`} data-completions={JSON.stringify(s.completions)}>
            <CsrfField token={props.csrf} />
            {s.key.channel === "sms" ? (
              textarea("body", "SMS body", 8)
            ) : (
              <>
                {textarea("subject", "Subject", 2)}
                {textarea("html", "HTML", 18)}
                {textarea("text", "Text alternative (optional: derived from the HTML when empty)", 8)}
              </>
            )}
            <label for="f-disruption">Preview with</label>
            <select id="f-disruption" name="disruption">
              <option value="">Sample data for {s.key.kind}</option>
              {s.disruptions.map((d) => (
                <option value={d.id} selected={d.id === s.disruptionId}>
                  {d.label}
                </option>
              ))}
            </select>
            <div class="actions">
              <button type="submit">Preview</button>
              <button type="submit" formaction={`${path}/save`}>
                Save draft
              </button>
            </div>
          </form>
          {s.draft ? (
            <p class="actions">
              <a class="button" href={`${path}/replay/${s.draft.version}`}>
                Replay version {s.draft.version} before publishing
              </a>
              <span class="muted">see what it would have changed over past disruptions, then publish</span>
            </p>
          ) : null}
        </section>
        <PreviewSection s={s} />
      </div>
      <SideBySide siblings={s.siblings} />
      {/* CodeMirror over the textareas (they stay, hidden and in sync: the form posts the same fields) */}
      <script src={EDITOR_SCRIPT_PATH} defer nonce={props.nonce} />
    </>
  );
}

export function ListPage(props: { rows: Awaited<ReturnType<typeof listTemplates>>; canEdit: boolean }) {
  return (
    <>
      <h1>Templates</h1>
      <p class="muted">
        The published version of each message is what recovery sends; a draft is sent only after it is published.
      </p>
      <table>
        <thead>
          <tr>
            <th>Kind</th>
            <th>Channel</th>
            <th>Locale</th>
            <th>Published</th>
            <th>Draft</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr data-template={keyLabel(r)}>
              <td>{r.kind}</td>
              <td>{r.channel}</td>
              <td>{r.locale}</td>
              <td>{r.publishedVersion ? `version ${r.publishedVersion}` : "bundled default"}</td>
              <td>{r.draftVersion ? `version ${r.draftVersion}` : "—"}</td>
              <td>
                {props.canEdit ? (
                  <a href={keyPath(r)} aria-label={`Edit ${keyLabel(r)}`}>
                    Edit
                  </a>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function VersionsPage(props: {
  s: { key: TemplateKey; versions: TemplateVersion[]; notice?: string };
  csrf: string;
  nonce: string;
}) {
  const { key, versions } = props.s;
  const path = keyPath(key);
  const published = versions.find((v) => v.status === "published")?.version;
  return (
    <>
      <Css nonce={props.nonce} />
      <p>
        <a href={BASE}>← Templates</a> · <a href={path}>Editor</a>
      </p>
      <h1>History of {keyLabel(key)}</h1>
      {props.s.notice ? (
        <p class="notice" role="status">
          {props.s.notice}
        </p>
      ) : null}
      {versions.length === 0 ? <p class="muted">No versions yet: recovery uses the bundled default.</p> : null}
      {versions.map((v, i) => {
        const previous = versions[i + 1];
        return (
          <section class="card version" data-version={v.version}>
            <h2>
              Version {v.version} <span class="muted">({v.status})</span>
            </h2>
            <p class="muted">
              created {v.createdAt.toISOString()} by {v.createdBy ?? "unknown"}
              {v.publishedAt ? ` · published ${v.publishedAt.toISOString()}` : ""}
            </p>
            <div class="actions">
              {v.status === "draft" ? (
                <a class="button" href={`${path}/replay/${v.version}`}>
                  Replay version {v.version} before publishing
                </a>
              ) : null}
              {v.status !== "draft" && v.version !== published ? (
                <form method="post" action={`${path}/rollback/${v.version}`}>
                  <CsrfField token={props.csrf} />
                  <button type="submit">Roll back to version {v.version}</button>
                </form>
              ) : null}
            </div>
            <details open={i === 0}>
              <summary>{previous ? `Changes from version ${previous.version}` : "Content"}</summary>
              <pre class="diff">
                {lineDiff(previous ? versionText(key, previous) : "", versionText(key, v)).map((d) => (
                  <span class={d.op}>
                    {d.op === "add" ? "+ " : d.op === "del" ? "- " : "  "}
                    {d.text}
                  </span>
                ))}
              </pre>
            </details>
          </section>
        );
      })}
    </>
  );
}
