/**
 * The template studio: CX editors change message templates, preview them with sample or real
 * data, save drafts (validated), publish and roll back. Works without JavaScript: the preview
 * is a plain form POST that answers with the editor page. Logic: src/templates/studio.ts.
 */
import type { Context } from "hono";
import { userActor } from "../auth/audit.ts";
import { can } from "../auth/roles.ts";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import type { TemplateVersion } from "../db/generated/node/client.ts";
import { AppError } from "../http/errors.ts";
import { LANGUAGE_NAMES, languageOf } from "../locale/languages.ts";
import { replayDays } from "../replay/load.ts";
import { runTemplateReplay } from "../replay/run.ts";
import { replaySeen, replayToken } from "../replay/token.ts";
import { editorCompletions } from "../templates/completions.ts";
import { DEFAULT_LOCALES } from "../templates/defaults.ts";
import { analyzeSms } from "../templates/sms.ts";
import {
  contentOf,
  disruptionData,
  disruptionsFor,
  editorStart,
  getVersion,
  keyLabel,
  listTemplates,
  listVersions,
  type PreviewData,
  parseTemplateKey,
  publishedVersion,
  publishVersion,
  renderPreview,
  rollbackTo,
  STUDIO_CHANNELS,
  sampleData,
  saveDraft,
  type TemplateContent,
  type TemplateKey,
  validateContent,
} from "../templates/studio.ts";
import type { ValidationResult } from "../templates/validate.ts";
import { EDITOR_SCRIPT_ROUTE, editorScript } from "./editor/asset.ts";
import { CsrfField, renderPage } from "./layout.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";
import { DaysPicker, ReplayStyle, TemplateReplayView, WindowNote } from "./replay-views.tsx";
import {
  BASE,
  EDITOR,
  EditorPage,
  type EditorState,
  keyPath,
  ListPage,
  LivePanes,
  type SiblingPreview,
  VersionsPage,
} from "./template-studio-views.tsx";

function keyFrom(c: Context<DashboardEnv>): TemplateKey {
  const key = parseTemplateKey(c.req.param("kind") ?? "", c.req.param("channel") ?? "", c.req.param("locale") ?? "");
  if (!key) throw new AppError("not_found", "no such template (kind, channel or locale is unknown)");
  return key;
}

function versionParam(c: Context<DashboardEnv>): number {
  const v = Number(c.req.param("version"));
  if (!Number.isInteger(v) || v < 1) throw new AppError("not_found", "no such version");
  return v;
}

async function formOf(c: Context<DashboardEnv>) {
  const body = await c.req.parseBody();
  const field = (name: string) => (typeof body[name] === "string" ? (body[name] as string).replace(/\r\n/g, "\n") : "");
  return { field };
}

function contentFromForm(key: TemplateKey, field: (name: string) => string): TemplateContent {
  return key.channel === "sms"
    ? { body: field("body") }
    : { subject: field("subject"), html: field("html"), text: field("text") };
}

async function editorState(
  deps: DashboardDeps,
  key: TemplateKey,
  content: TemplateContent,
  disruptionId: string,
  extra: { draft?: TemplateVersion | null; validation?: ValidationResult; notice?: string } = {},
): Promise<EditorState> {
  const { prisma } = deps;
  const [published, disruptions, start] = await Promise.all([
    publishedVersion(prisma, key),
    disruptionsFor(prisma, key),
    editorStart(prisma, key),
  ]);
  let data: PreviewData = sampleData(key);
  let previewSource = "the sample data";
  let chosen = "";
  if (disruptionId) {
    const real = await disruptionData(prisma, key, disruptionId, deps.now());
    if (real) {
      data = real;
      chosen = disruptionId;
      previewSource = `the data of disruption ${disruptionId}`;
    }
  }
  const preview = renderPreview(key, content, data);
  let publishedSegments: number | null = null;
  if (key.channel === "sms" && published) {
    const p = renderPreview(key, contentOf(key, published), data);
    if (p.ok && p.channel === "sms") publishedSegments = analyzeSms(p.rendered.body).segments;
  }
  const pendingDraft = start.version?.status === "draft" ? start.version : null;
  const siblings = await siblingPreviews(deps, key, content);
  return {
    key,
    content,
    validation: extra.validation ?? validateContent(key, content),
    preview,
    previewSource,
    disruptionId: chosen,
    disruptions,
    published,
    publishedSegments,
    draft: extra.draft === undefined ? pendingDraft : extra.draft,
    notice: extra.notice,
    siblings,
    completions: editorCompletions(key.kind, key.locale),
  };
}

/**
 * The same kind in every channel and bundled language, each with its language's sample data: the
 * edited one with the editor's text, the others as the editor would open them (pending draft,
 * else published, else the bundled default).
 */
async function siblingPreviews(deps: DashboardDeps, key: TemplateKey, content: TemplateContent) {
  const keys = STUDIO_CHANNELS.flatMap((channel) =>
    DEFAULT_LOCALES.map((locale): TemplateKey => ({ kind: key.kind, channel, locale })),
  );
  return Promise.all(
    keys.map(async (k): Promise<SiblingPreview> => {
      const current = k.channel === key.channel && k.locale === key.locale;
      const start = current ? null : await editorStart(deps.prisma, k);
      const source = current
        ? "your text"
        : start?.version
          ? `${start.version.status === "draft" ? "draft" : "published"} version ${start.version.version}`
          : "bundled default";
      return {
        key: k,
        language: LANGUAGE_NAMES[languageOf(k.locale)],
        preview: renderPreview(k, current ? content : (start?.content ?? {}), sampleData(k)),
        current,
        source,
      };
    }),
  );
}

const showEditor = (c: Context<DashboardEnv>, s: EditorState, status: 200 | 400 = 200) =>
  renderPage(
    c,
    `${keyLabel(s.key)} · Templates`,
    <EditorPage s={s} csrf={c.var.csrfToken} nonce={c.var.cspNonce} />,
    status,
  );

const NOTICES: Record<string, (v: string) => string> = {
  published: (v) => `Version ${v} is published: the next recovery message uses it.`,
  rolledBack: (v) => `Rolled back: version ${v} is published.`,
};

function noticeOf(c: Context<DashboardEnv>): string | undefined {
  for (const [name, say] of Object.entries(NOTICES)) {
    const v = c.req.query(name);
    if (v && /^\d+$/.test(v)) return say(v);
  }
  return undefined;
}

export function templateStudioRoutes(app: DashboardApp, deps: DashboardDeps): void {
  const { prisma } = deps;

  page(app, "GET", EDITOR_SCRIPT_ROUTE, (c) => {
    const script = editorScript(c.req.param("file") ?? "");
    if (!script) throw new AppError("not_found", "no such asset");
    return script;
  });

  page(app, "GET", BASE, async (c) => {
    const rows = await listTemplates(prisma);
    const canEdit = can(c.var.user.role, "templates:edit");
    return renderPage(c, "Templates", <ListPage rows={rows} canEdit={canEdit} />);
  });

  page(app, "GET", EDITOR, async (c) => {
    const key = keyFrom(c);
    const start = await editorStart(prisma, key);
    const s = await editorState(deps, key, start.content, c.req.query("disruption") ?? "", {
      notice: noticeOf(c),
    });
    return showEditor(c, s);
  });

  page(app, "POST", `${EDITOR}/preview`, async (c) => {
    const key = keyFrom(c);
    const { field } = await formOf(c);
    const s = await editorState(deps, key, contentFromForm(key, field), field("disruption"), {
      notice: "Preview only: nothing is saved.",
    });
    // The editor's script refreshes its panes as you type: it needs only them.
    if (c.req.header("x-studio-panes") === "1") return c.html(<LivePanes s={s} />);
    return showEditor(c, s);
  });

  page(app, "POST", `${EDITOR}/save`, async (c) => {
    const key = keyFrom(c);
    const { field } = await formOf(c);
    const content = contentFromForm(key, field);
    const saved = await saveDraft(prisma, key, content, userActor(c.var.user), deps.now());
    if (!saved.ok) {
      const s = await editorState(deps, key, content, field("disruption"), {
        validation: saved.validation,
        notice: "Not saved: fix the errors below.",
      });
      return showEditor(c, s, 400);
    }
    const s = await editorState(deps, key, content, field("disruption"), {
      validation: saved.validation,
      draft: saved.version,
      notice: `Saved as draft version ${saved.version.version}${saved.validation.warnings.length ? " (with warnings)" : ""}. Publish it to use it.`,
    });
    return showEditor(c, s);
  });

  page(app, "GET", `${EDITOR}/versions`, async (c) => {
    const key = keyFrom(c);
    const versions = await listVersions(prisma, key);
    return renderPage(
      c,
      `History · ${keyLabel(key)}`,
      <VersionsPage s={{ key, versions, notice: noticeOf(c) }} csrf={c.var.csrfToken} nonce={c.var.cspNonce} />,
    );
  });

  page(app, "GET", `${EDITOR}/replay/:version`, async (c) => {
    const key = keyFrom(c);
    const days = replayDays(c.req.query("days"));
    const run = await runTemplateReplay(prisma, key, versionParam(c), deps.now(), days);
    if (!run) throw new AppError("not_found", "no such version");
    const { version, content: draft, window, replay: r, comparedWith: published } = run;
    const path = keyPath(key);
    const canPublish = can(c.var.user.role, "templates:publish") && version.status === "draft";
    return renderPage(
      c,
      `Replay · ${keyLabel(key)}`,
      <>
        <ReplayStyle nonce={c.var.cspNonce} />
        <h1>
          Replay version {version.version} of {keyLabel(key)}
        </h1>
        <p>
          <a href={path}>Back to the editor</a> · <a href={`${path}/versions`}>History</a>
        </p>
        <DaysPicker days={days} action={`${path}/replay/${version.version}`} />
        <WindowNote
          window={window}
          what={`compared with ${published ? `published version ${published.version}` : "the bundled default"}`}
        />
        <TemplateReplayView r={r} channel={key.channel} />
        {canPublish ? (
          <form method="post" action={`${path}/publish/${version.version}`} class="actions">
            <CsrfField token={c.var.csrfToken} />
            <input type="hidden" name="replay" value={replayToken(c.var.csrfToken, keyLabel(key), draft)} />
            <button type="submit">Publish version {version.version}</button>
            <span class="muted">the next recovery message uses it</span>
          </form>
        ) : null}
      </>,
    );
  });

  page(app, "POST", `${EDITOR}/publish/:version`, async (c) => {
    const key = keyFrom(c);
    const wanted = await getVersion(prisma, key, versionParam(c));
    if (!wanted) throw new AppError("not_found", "no such version");
    const body = await c.req.parseBody();
    if (!replaySeen(c.var.csrfToken, keyLabel(key), contentOf(key, wanted), body.replay))
      throw new AppError(
        "bad_request",
        `version ${wanted.version} has not been replayed: open "Replay before publishing" (${keyPath(key)}/replay/${wanted.version}), look at what it would have changed, and publish from there`,
      );
    const result = await publishVersion(
      prisma,
      deps.reference,
      key,
      versionParam(c),
      userActor(c.var.user),
      deps.now(),
    );
    if (!result.ok) {
      if (result.reason === "not_found") throw new AppError("not_found", "no such version");
      throw new AppError("bad_request", `this version has errors: ${result.validation?.errors[0]?.message ?? ""}`);
    }
    return c.redirect(`${keyPath(key)}?published=${result.version.version}`, 303);
  });

  page(app, "POST", `${EDITOR}/rollback/:version`, async (c) => {
    const key = keyFrom(c);
    const result = await rollbackTo(prisma, deps.reference, key, versionParam(c), userActor(c.var.user), deps.now());
    if (!result.ok) {
      if (result.reason === "not_found") throw new AppError("not_found", "no such version");
      throw new AppError("bad_request", `this version has errors: ${result.validation?.errors[0]?.message ?? ""}`);
    }
    return c.redirect(`${keyPath(key)}/versions?rolledBack=${result.version.version}`, 303);
  });
}
