/**
 * The template studio's logic (Prisma-backed): what CX sees in the list, drafts saved with
 * save-time validation, publish (one published version per kind × channel × locale),
 * roll back (a new version copied from an older one, so history stays linear), previews
 * and a line diff between versions. The dashboard pages are in src/dashboard/template-studio.tsx.
 */
import { audit } from "../auth/audit.ts";
import type { PrismaClient, TemplateVersion } from "../db/generated/node/client.ts";
import { isUniqueViolation } from "../http/database-errors.ts";
import { disruptionVariables } from "../recovery/disruption-variables.ts";
import { templateKindFor } from "../recovery/message-variables.ts";
import { type ReferenceData, uncachedReferenceData } from "../recovery/reference-data.ts";
import { DEFAULT_LOCALES, defaultTemplateSet } from "./defaults.ts";
import { isTemplateError } from "./errors.ts";
import { type RenderedEmail, type RenderedSms, renderMessage } from "./render.ts";
import { type ValidationResult, validateTemplate } from "./validate.ts";
import { isTemplateKind, sampleVariables, TEMPLATE_KINDS, type TemplateKind } from "./variables.ts";

export type StudioChannel = "email" | "sms";
export const STUDIO_CHANNELS: readonly StudioChannel[] = ["email", "sms"];

export interface TemplateKey {
  kind: TemplateKind;
  channel: StudioChannel;
  locale: string;
}

export interface TemplateContent {
  subject?: string;
  html?: string;
  text?: string;
  body?: string;
}

export const keyLabel = (k: TemplateKey) => `${k.kind}.${k.channel}.${k.locale}`;
const where = (k: TemplateKey) => ({ kind: k.kind, channel: k.channel, locale: k.locale });

/** A key from URL parameters, or null when any part is unknown. */
export function parseTemplateKey(kind: string, channel: string, locale: string): TemplateKey | null {
  if (!isTemplateKind(kind)) return null;
  if (channel !== "email" && channel !== "sms") return null;
  if (!/^[a-z]{2}(?:-[A-Z]{2})?$/.test(locale)) return null;
  return { kind, channel, locale };
}

export interface TemplateSummary extends TemplateKey {
  publishedVersion: number | null;
  latestVersion: number | null;
  /** the newest draft, when it is newer than the published version */
  draftVersion: number | null;
}

/** Every kind × channel × locale (bundled locales and any stored), with its published version and pending draft. */
export async function listTemplates(prisma: PrismaClient): Promise<TemplateSummary[]> {
  const rows = await prisma.templateVersion.findMany({
    select: { kind: true, channel: true, locale: true, version: true, status: true },
  });
  const summaries = new Map<string, TemplateSummary>();
  const entry = (k: TemplateKey) => {
    const label = keyLabel(k);
    let s = summaries.get(label);
    if (!s) {
      s = { ...k, publishedVersion: null, latestVersion: null, draftVersion: null };
      summaries.set(label, s);
    }
    return s;
  };
  for (const kind of TEMPLATE_KINDS)
    for (const channel of STUDIO_CHANNELS) for (const locale of DEFAULT_LOCALES) entry({ kind, channel, locale });
  for (const r of rows) {
    const key = parseTemplateKey(r.kind, r.channel, r.locale);
    if (!key) continue;
    const s = entry(key);
    s.latestVersion = Math.max(s.latestVersion ?? 0, r.version);
    if (r.status === "published") s.publishedVersion = Math.max(s.publishedVersion ?? 0, r.version);
  }
  for (const r of rows) {
    const key = parseTemplateKey(r.kind, r.channel, r.locale);
    if (!key || r.status !== "draft") continue;
    const s = entry(key);
    if (r.version > (s.publishedVersion ?? 0)) s.draftVersion = Math.max(s.draftVersion ?? 0, r.version);
  }
  return [...summaries.values()].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.channel.localeCompare(b.channel) || a.locale.localeCompare(b.locale),
  );
}

export function listVersions(prisma: PrismaClient, key: TemplateKey): Promise<TemplateVersion[]> {
  return prisma.templateVersion.findMany({ where: where(key), orderBy: { version: "desc" } });
}

export function getVersion(prisma: PrismaClient, key: TemplateKey, version: number): Promise<TemplateVersion | null> {
  return prisma.templateVersion.findFirst({ where: { ...where(key), version } });
}

export function publishedVersion(prisma: PrismaClient, key: TemplateKey): Promise<TemplateVersion | null> {
  return prisma.templateVersion.findFirst({
    where: { ...where(key), status: "published" },
    orderBy: { version: "desc" },
  });
}

/** The content of a stored version (only the parts of its channel). */
export function contentOf(key: TemplateKey, v: Pick<TemplateVersion, "subject" | "html" | "text" | "body">) {
  return key.channel === "sms"
    ? { body: v.body ?? "" }
    : { subject: v.subject ?? "", html: v.html ?? "", text: v.text ?? "" };
}

/** What the editor opens with: the newest draft if newer than the published version, else the published, else the bundled default. */
export async function editorStart(prisma: PrismaClient, key: TemplateKey) {
  const [latest] = await listVersions(prisma, key);
  const published = await publishedVersion(prisma, key);
  if (latest && latest.status === "draft" && latest.version > (published?.version ?? 0))
    return { content: contentOf(key, latest), version: latest, published };
  if (published) return { content: contentOf(key, published), version: published, published };
  const set = defaultTemplateSet(key.kind, key.locale);
  return { content: key.channel === "sms" ? set.sms : set.email, version: null, published: null };
}

export function validateContent(key: TemplateKey, content: TemplateContent): ValidationResult {
  return key.channel === "sms"
    ? validateTemplate({ kind: key.kind, channel: "sms", locale: key.locale, body: content.body })
    : validateTemplate({
        kind: key.kind,
        channel: "email",
        locale: key.locale,
        subject: content.subject,
        html: content.html,
        text: content.text,
      });
}

export type SaveResult =
  | { ok: true; version: TemplateVersion; validation: ValidationResult }
  | { ok: false; validation: ValidationResult };

/** Saves a draft as version max+1 — unless validation finds errors (warnings are allowed). */
export async function saveDraft(
  prisma: PrismaClient,
  key: TemplateKey,
  content: TemplateContent,
  createdBy: string,
  now: Date,
): Promise<SaveResult> {
  const validation = validateContent(key, content);
  if (validation.errors.length) return { ok: false, validation };
  const c = contentOf(key, content as Parameters<typeof contentOf>[1]);
  const version = await createNextVersion(prisma, key, {
    subject: "subject" in c ? (c.subject ?? null) : null,
    html: "html" in c ? (c.html ?? null) : null,
    text: "text" in c && c.text?.trim() ? c.text : null,
    body: "body" in c ? (c.body ?? null) : null,
    createdAt: now,
    createdBy,
  });
  return { ok: true, version, validation };
}

type VersionContent = Pick<TemplateVersion, "subject" | "html" | "text" | "body" | "createdAt" | "createdBy">;

/**
 * A new draft numbered max+1. Two saves at once may read the same max: the second insert fails
 * on the (key, version) unique index and numbers again (no interactive transaction: D1 has none).
 */
async function createNextVersion(prisma: PrismaClient, key: TemplateKey, content: VersionContent) {
  for (let attempt = 1; ; attempt++) {
    const max = await prisma.templateVersion.aggregate({ where: where(key), _max: { version: true } });
    try {
      return await prisma.templateVersion.create({
        data: {
          id: `tpl_${crypto.randomUUID()}`,
          ...where(key),
          version: (max._max.version ?? 0) + 1,
          ...content,
          status: "draft",
        },
      });
    } catch (error) {
      if (attempt >= 5 || !isUniqueViolation(error)) throw error;
    }
  }
}

export type PublishResult =
  | { ok: true; version: TemplateVersion; previous: number | null }
  | { ok: false; reason: "not_found" | "invalid"; validation?: ValidationResult };

/** A version that exists and still passes validation (rules may have tightened since it was saved). */
async function publishable(
  prisma: PrismaClient,
  key: TemplateKey,
  version: number,
): Promise<{ ok: true; version: TemplateVersion } | Extract<PublishResult, { ok: false }>> {
  const v = await getVersion(prisma, key, version);
  if (!v) return { ok: false, reason: "not_found" };
  const validation = validateContent(key, contentOf(key, v));
  if (validation.errors.length) return { ok: false, reason: "invalid", validation };
  return { ok: true, version: v };
}

/**
 * The statements of a publish, in the order they run. On SQLite they are one atomic batch; on D1
 * a batch runs statement by statement (ARCHITECTURE.md, "D1 and batches"), so the order is the
 * guard: the version is published first, then the key's other published versions are archived —
 * only those published before it (at the same instant: those with a lower number). Stopped between
 * the two, the key has two published versions and readers take the highest, never none; two
 * publishes interleaved leave the later one published.
 */
export function publishStatements(prisma: PrismaClient, key: TemplateKey, version: number, now: Date) {
  const publish = prisma.templateVersion.update({
    where: { kind_channel_locale_version: { ...where(key), version } },
    data: { status: "published", publishedAt: now },
  });
  const archiveEarlier = prisma.templateVersion.updateMany({
    where: {
      ...where(key),
      status: "published",
      NOT: { version },
      OR: [{ publishedAt: null }, { publishedAt: { lt: now } }, { publishedAt: now, version: { lt: version } }],
    },
    data: { status: "archived" },
  });
  return { publish, archiveEarlier };
}

/** The one place a version becomes published; the recovery's cached templates are told once it has committed. */
async function makePublished(
  prisma: PrismaClient,
  reference: Pick<ReferenceData, "changed">,
  key: TemplateKey,
  version: number,
  now: Date,
) {
  const previous = await prisma.templateVersion.findFirst({
    where: { ...where(key), status: "published" },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  const { publish, archiveEarlier } = publishStatements(prisma, key, version, now);
  const [updated] = await prisma.$transaction([publish, archiveEarlier]);
  reference.changed("templates");
  return { version: updated, previous: previous?.version ?? null };
}

/** Publishes a version: the previously published one becomes "archived". Audited as template.publish. */
export async function publishVersion(
  prisma: PrismaClient,
  reference: Pick<ReferenceData, "changed">,
  key: TemplateKey,
  version: number,
  actor: string,
  now: Date,
): Promise<PublishResult> {
  const checked = await publishable(prisma, key, version);
  if (!checked.ok) return checked;
  const done = await makePublished(prisma, reference, key, version, now);
  await audit(prisma, actor, "template.publish", keyLabel(key), { version, previous: done.previous }, now);
  return { ok: true, ...done };
}

/** Publishes an older version again, as a new version copied from it. Audited as template.rollback. */
export async function rollbackTo(
  prisma: PrismaClient,
  reference: Pick<ReferenceData, "changed">,
  key: TemplateKey,
  version: number,
  actor: string,
  now: Date,
): Promise<PublishResult> {
  const checked = await publishable(prisma, key, version);
  if (!checked.ok) return checked;
  const source = checked.version;
  const copy = await createNextVersion(prisma, key, {
    subject: source.subject,
    html: source.html,
    text: source.text,
    body: source.body,
    createdAt: now,
    createdBy: actor,
  });
  const done = await makePublished(prisma, reference, key, copy.version, now);
  await audit(
    prisma,
    actor,
    "template.rollback",
    keyLabel(key),
    { from: version, version: copy.version, previous: done.previous },
    now,
  );
  return { ok: true, ...done };
}

// ---------------------------------------------------------------------------------------------
// Diff

export type DiffLine = { op: "same" | "add" | "del"; text: string };

/** A line diff (longest common subsequence): what changed from `before` to `after`. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const next = lcs[i + 1] as number[];
    for (let j = m - 1; j >= 0; j--)
      row[j] = a[i] === b[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: "same", text: a[i] as string });
      i++;
      j++;
    } else if ((lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0)) out.push({ op: "del", text: a[i++] as string });
    else out.push({ op: "add", text: b[j++] as string });
  }
  while (i < n) out.push({ op: "del", text: a[i++] as string });
  while (j < m) out.push({ op: "add", text: b[j++] as string });
  return out;
}

/** The whole of a version as one text, part by part, for the diff. */
export function versionText(key: TemplateKey, v: Pick<TemplateVersion, "subject" | "html" | "text" | "body">): string {
  const c = contentOf(key, v);
  return Object.entries(c)
    .map(([part, source]) => `── ${part} ──\n${source}`)
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// Preview

export type Preview =
  | { ok: true; channel: "sms"; rendered: RenderedSms }
  | { ok: true; channel: "email"; rendered: RenderedEmail }
  | { ok: false; error: string };

export interface PreviewData {
  variables: Record<string, unknown>;
  locale: string;
  timeZone: string;
}

/** The kind's sample data, in the template's language. */
export function sampleData(key: TemplateKey): PreviewData {
  const s = sampleVariables(key.kind, key.locale) as Record<string, unknown> & { locale: string; timeZone: string };
  return { variables: s, locale: s.locale, timeZone: s.timeZone };
}

const PURPOSES = ["apology", "gesture", "follow_up", "update"] as const;

/** Recent disruptions whose messages use this kind (for previewing with real data). */
export async function disruptionsFor(prisma: PrismaClient, key: TemplateKey, take = 20) {
  const rows = await prisma.disruption.findMany({
    orderBy: { detectedAt: "desc" },
    take: 200,
    include: { customer: { select: { name: true } } },
  });
  return rows
    .filter((d) => PURPOSES.some((p) => templateKindFor(d.kind, p) === key.kind))
    .slice(0, take)
    .map((d) => ({ id: d.id, label: `${d.kind} · ${d.customer.name} · ${d.detectedAt.toISOString().slice(0, 10)}` }));
}

/** The variables recovery would use for this disruption (same builder as src/recovery/messages.ts). */
export async function disruptionData(
  prisma: PrismaClient,
  key: TemplateKey,
  disruptionId: string,
  now: Date,
): Promise<PreviewData | null> {
  const d = await prisma.disruption.findUnique({
    where: { id: disruptionId },
    include: { customer: true, grants: true },
  });
  if (!d || !PURPOSES.some((p) => templateKindFor(d.kind, p) === key.kind)) return null;
  const variables = await disruptionVariables(uncachedReferenceData(prisma), d, key.kind, "Reply STOP to opt out", now);
  return { variables, locale: d.customer.locale, timeZone: d.customer.timeZone };
}

export function renderPreview(key: TemplateKey, content: TemplateContent, data: PreviewData): Preview {
  const ctx = { ...data, kind: key.kind };
  try {
    if (key.channel === "sms")
      return { ok: true, channel: "sms", rendered: renderMessage({ channel: "sms", body: content.body, ...ctx }) };
    return {
      ok: true,
      channel: "email",
      rendered: renderMessage({
        channel: "email",
        subject: content.subject,
        html: content.html,
        text: content.text?.trim() ? content.text : undefined,
        ...ctx,
      }),
    };
  } catch (err) {
    if (isTemplateError(err)) return { ok: false, error: err.message };
    throw err;
  }
}
