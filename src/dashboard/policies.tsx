/**
 * Policies: the gesture catalog, which gesture each disruption gets (kind × severity × tier),
 * budgets, the per-customer cap and the managers' approval limit. Everyone with
 * `policies:view` reads it; `policies:edit` (managers, admins) changes it, every change audited.
 * Each gesture's texts per language (what customers read) are edited here too, saved without a
 * replay: they change no decision, only words.
 */
import type { Context } from "hono";
import { raw } from "hono/html";
import { audit, auditEntry, userActor } from "../auth/audit.ts";
import { can } from "../auth/roles.ts";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import { AppError } from "../http/errors.ts";
import { describeMismatch, localeMismatches } from "../locale/checker.ts";
import { CATALOG_LANGUAGE, isLanguage, LANGUAGE_NAMES, LANGUAGES } from "../locale/languages.ts";
import { MANAGER_LIMIT_SETTING } from "./approval-limits.ts";
import { CatalogTable } from "./catalog-table.tsx";
import { TEXT_FIELDS, type TextDraft, type TextValues } from "./gesture-texts-view.tsx";
import { CsrfField, renderPage } from "./layout.tsx";
import {
  BudgetForm,
  budgetPeriods,
  checkGestureRefs,
  currentSettings,
  type FieldError,
  GESTURE_CAP_SETTING,
  GestureCreate,
  GestureTextForm,
  GestureUpdate,
  POLICY_CHOICES,
  PolicyForm,
  parseForm,
  SettingsForm,
} from "./policy-forms.ts";
import { formStrings, REPLAY_FIRST, replayChecked, showPolicyReplay } from "./policy-replay.tsx";
import {
  ConfirmDeletePage,
  ConfirmRetirePage,
  Field,
  PolicyTables,
  ReplayButton,
  rulePath,
  Select,
} from "./policy-tables.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

const POLICIES_CSS = `
.policy-form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0;padding:.5rem 0;border-bottom:1px solid #ddd}
.policy-form label{display:flex;flex-direction:column;font-size:.85rem}
.policy-form label.check{flex-direction:row;gap:.25rem;align-items:center}
.policy-form input[type=text],.policy-form input:not([type]){min-width:6rem}
.errors{border:1px solid #b00020;background:#fff0f0;padding:.5rem 1rem;color:#b00020}
.saved{border:1px solid #1b7f3b;background:#effaf2;padding:.5rem 1rem}
.gesture-texts{margin:0 0 .5rem 1rem}
.gesture-texts summary{cursor:pointer}
.field-error{color:#b00020;margin:.25rem 0;flex-basis:100%}
.warning{border:1px solid #8a6100;background:#fff8e1;padding:.25rem .5rem;margin:.25rem 0;flex-basis:100%}
.policy-group h3{margin:1.25rem 0 .25rem}
.policy-table tbody{border-top:2px solid var(--line)}
.policy-table tr.policy-edit td{padding-top:0}
.policy-table details summary{cursor:pointer;color:var(--accent)}
.policy-table .row-actions{text-align:right;white-space:nowrap}
.confirm-delete{max-width:40rem}
.confirm-delete .actions{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;margin-top:1rem}
.confirm-delete dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
.confirm-delete dt{font-weight:600}
.confirm-delete dd{margin:0}
`;

async function loadPolicies(deps: DashboardDeps) {
  const { prisma } = deps;
  const periods = budgetPeriods(deps.now());
  const [gestures, policies, budgets, settings] = await Promise.all([
    prisma.gesture.findMany({ orderBy: { id: "asc" }, include: { texts: true } }),
    prisma.gesturePolicy.findMany({ orderBy: [{ disruptionKind: "asc" }, { severity: "asc" }, { tier: "asc" }] }),
    prisma.budget.findMany({ where: { period: { in: periods } } }),
    currentSettings(prisma),
  ]);
  return { gestures, policies, periods, budgets, settings };
}
type PoliciesData = Awaited<ReturnType<typeof loadPolicies>>;

function PoliciesPage(props: {
  data: PoliciesData;
  csrf: string;
  editor: boolean;
  errors: FieldError[];
  saved?: string;
  draft?: TextDraft;
}) {
  const { data, csrf, editor } = props;
  const gestureIds = data.gestures.map((g) => g.id);
  const ro = !editor;
  return (
    <>
      <h1>Policies</h1>
      {props.errors.length > 0 ? (
        <div class="errors" role="alert">
          <p>Nothing was changed. Please fix:</p>
          <ul>
            {props.errors.map((e) => (
              <li data-field={e.field}>
                <strong>{e.field}</strong>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.saved ? <p class="saved">Saved: {props.saved}.</p> : null}

      <section class="card">
        <h2>Gesture catalog</h2>
        <CatalogTable
          gestures={data.gestures}
          policies={data.policies}
          csrf={csrf}
          editor={editor}
          draft={props.draft}
        />
        {ro ? null : (
          <form class="policy-form" method="post" action="/dashboard/policies/gestures">
            <CsrfField token={csrf} />
            <strong>Add a gesture</strong>
            <Field label="Id" name="id" size={14} />
            <Select label="Kind" name="kind" options={["voucher", "complimentary_item", "free_session", "credit"]} />
            <Field label="Name" name="name" />
            <Field label="Description" name="description" size={30} />
            <Field label="How to use" name="howToUse" size={30} />
            <Field label="Value" name="value" size={6} />
            <Field label="Currency" name="currency" value="EUR" size={4} />
            <input type="hidden" name="active" value="on" />
            <button type="submit">Add</button>
          </form>
        )}
      </section>

      <section class="card">
        <h2>Policies</h2>
        <p class="muted">
          Which gesture a disruption gets, by kind, severity and the customer's tier ("*" in a form matches any; the
          most specific policy wins). Above the approval limit a manager decides within the approval timeout, else the
          fallback is given.
        </p>
        <PolicyTables policies={data.policies} catalog={data.gestures} csrf={csrf} editor={editor} />
        {ro ? null : (
          <form class="policy-form" method="post" action="/dashboard/policies/rules">
            <CsrfField token={csrf} />
            <strong>Add a policy</strong>
            <Select label="Kind" name="disruptionKind" options={POLICY_CHOICES.kinds} />
            <Select label="Severity" name="severity" options={POLICY_CHOICES.severities} />
            <Select label="Tier" name="tier" options={POLICY_CHOICES.tiers} />
            <Select label="Gesture" name="gestureId" options={gestureIds} />
            <Select label="Fallback" name="fallbackGestureId" options={["", ...gestureIds]} value="" />
            <Field label="Approval limit" name="approvalLimit" value={100} size={6} />
            <Field label="Approval timeout" name="approvalTimeout" value="4h" size={5} />
            <button type="submit">Add</button>
          </form>
        )}
      </section>

      <section class="card">
        <h2>Budgets</h2>
        {data.periods.map((period) => {
          const b = data.budgets.find((x) => x.period === period);
          return (
            <form class="policy-form" method="post" action="/dashboard/policies/budget" data-period={period}>
              <CsrfField token={csrf} />
              <input type="hidden" name="period" value={period} />
              <strong>{period}</strong>
              <Field label="Limit" name="limit" value={b ? Number(b.limit) : ""} size={8} />
              <Field label="Currency" name="currency" value={b?.currency ?? "EUR"} size={4} />
              {b ? null : <span class="muted">not set (no limit)</span>}
              {ro ? null : <ReplayButton action="/dashboard/policies/budget" />}
            </form>
          );
        })}
      </section>

      <section class="card">
        <h2>Limits</h2>
        <form class="policy-form" method="post" action="/dashboard/policies/settings">
          <CsrfField token={csrf} />
          <Field
            label="Gestures per customer per 30 days"
            name="gestureCap"
            value={data.settings.gestureCap}
            size={4}
          />
          <Field
            label="Manager approval limit (without a limit of their own)"
            name="managerApprovalLimit"
            value={data.settings.managerApprovalLimit}
            size={6}
          />
          {ro ? null : <ReplayButton action="/dashboard/policies/settings" />}
        </form>
      </section>
    </>
  );
}

async function show(
  c: Context<DashboardEnv>,
  deps: DashboardDeps,
  errors: FieldError[] = [],
  extra: { draft?: TextDraft; saved?: string } = {},
) {
  const data = await loadPolicies(deps);
  const saved = c.req.method === "GET" ? c.req.query("saved") : extra.saved;
  return renderPage(
    c,
    "Policies",
    <>
      <style nonce={c.var.cspNonce}>{raw(POLICIES_CSS)}</style>
      <PoliciesPage
        data={data}
        csrf={c.var.csrfToken}
        editor={can(c.var.user.role, "policies:edit")}
        errors={errors}
        saved={saved}
        draft={extra.draft}
      />
    </>,
    errors.length ? 400 : 200,
  );
}

const done = (c: Context<DashboardEnv>, what: string) =>
  c.redirect(`/dashboard/policies?saved=${encodeURIComponent(what)}`, 303);

export function policiesRoutes(app: DashboardApp, deps: DashboardDeps): void {
  const { prisma } = deps;
  const log = (c: Context<DashboardEnv>, action: string, target: string, detail: Record<string, unknown>) =>
    audit(prisma, userActor(c.var.user), action, target, detail, deps.now());

  page(app, "GET", "/dashboard/policies", (c) => show(c, deps));

  page(app, "POST", "/dashboard/policies/gestures", async (c) => {
    const form = parseForm(GestureCreate, await c.req.parseBody());
    if (!form.ok) return show(c, deps, form.errors);
    const { id, ...data } = form.value;
    if (await prisma.gesture.findUnique({ where: { id } }))
      return show(c, deps, [{ field: "id", message: `a gesture "${id}" already exists` }]);
    await prisma.gesture.create({ data: { id, ...data, howToUse: data.howToUse || null } });
    deps.reference.changed("gestures");
    await log(c, "gesture.update", id, { change: "created", after: form.value });
    return done(c, `gesture ${id}`);
  });

  page(app, "POST", "/dashboard/policies/gestures/:id", async (c) => {
    const id = c.req.param("id") ?? "";
    const before = await prisma.gesture.findUnique({ where: { id } });
    if (!before) throw new AppError("not_found", "no gesture with that id");
    const body = await c.req.parseBody();
    const form = parseForm(GestureUpdate, body);
    if (!form.ok) return show(c, deps, form.errors);
    // Retiring stops every policy that names it from giving it: asked first, on a page of its own.
    if (before.active && !form.value.active && body.confirm !== "yes") {
      const policies = await prisma.gesturePolicy.findMany({ orderBy: { id: "asc" } });
      return renderPage(
        c,
        `Retire ${before.name}?`,
        <>
          <style nonce={c.var.cspNonce}>{raw(POLICIES_CSS)}</style>
          <ConfirmRetirePage gesture={before} policies={policies} fields={formStrings(body)} csrf={c.var.csrfToken} />
        </>,
      );
    }
    const data = { ...form.value, howToUse: form.value.howToUse || null };
    await prisma.gesture.update({ where: { id }, data });
    deps.reference.changed("gestures");
    await log(c, "gesture.update", id, {
      change: "updated",
      before: { ...before, value: Number(before.value) },
      after: data,
    });
    return done(c, `gesture ${id}`);
  });

  page(app, "POST", "/dashboard/policies/gestures/:id/texts/:language", async (c) => {
    const id = c.req.param("id") ?? "";
    const language = c.req.param("language") ?? "";
    const gesture = await prisma.gesture.findUnique({ where: { id }, include: { texts: true } });
    if (!gesture) throw new AppError("not_found", "no gesture with that id");
    if (!isLanguage(language)) throw new AppError("not_found", `no language "${language}" (${LANGUAGES.join(", ")})`);
    const body = await c.req.parseBody();
    const typed = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
    const values: TextValues = { name: typed("name"), description: typed("description"), howToUse: typed("howToUse") };
    const draft = { gestureId: id, language, values, errors: [] as FieldError[], warnings: [] as string[] };
    const form = parseForm(GestureTextForm, body);
    const where = `${LANGUAGE_NAMES[language]} texts of ${id}`;
    if (!form.ok) {
      const errors = form.errors.map((e) => ({ field: e.field, message: `${e.message} (${where})` }));
      return show(c, deps, errors, { draft: { ...draft, errors: form.errors } });
    }
    const after = { ...form.value, howToUse: form.value.howToUse || null };
    const translation = gesture.texts.find((t) => t.language === language);
    const stored = language === CATALOG_LANGUAGE ? gesture : translation;
    const before = stored ? { name: stored.name, description: stored.description, howToUse: stored.howToUse } : null;
    const entry = auditEntry(
      userActor(c.var.user),
      "gesture_text.update",
      `${id}/${language}`,
      { language, before, after },
      deps.now(),
    );
    // The change and its audit row in one batch: both are written or neither.
    if (language === CATALOG_LANGUAGE)
      await prisma.$transaction([
        prisma.gesture.update({ where: { id }, data: after }),
        prisma.auditLog.create({ data: entry }),
      ]);
    else
      await prisma.$transaction([
        prisma.gestureText.upsert({
          where: { gestureId_language: { gestureId: id, language } },
          create: { gestureId: id, language, ...after },
          update: after,
        }),
        prisma.auditLog.create({ data: entry }),
      ]);
    deps.reference.changed("gestures");
    // Saved either way; text that reads as another language is worth a second look, not a refusal.
    const warnings = TEXT_FIELDS.flatMap(([field, label]) =>
      localeMismatches(form.value[field], language).map((m) => `${label}: ${describeMismatch(m, LANGUAGE_NAMES)}`),
    );
    if (warnings.length) return show(c, deps, [], { draft: { ...draft, warnings }, saved: where });
    return done(c, where);
  });

  const validPolicy = async (c: Context<DashboardEnv>, selfId?: string) => {
    const form = parseForm(PolicyForm, await c.req.parseBody());
    if (!form.ok) return form;
    const errors = await checkGestureRefs(prisma, form.value);
    const { disruptionKind, severity, tier } = form.value;
    const clash = await prisma.gesturePolicy.findUnique({
      where: { disruptionKind_severity_tier: { disruptionKind, severity, tier } },
    });
    if (clash && clash.id !== selfId)
      errors.push({
        field: "disruptionKind",
        message: `policy ${clash.id} already covers ${disruptionKind}/${severity}/${tier}`,
      });
    return errors.length ? { ok: false as const, errors } : form;
  };

  page(app, "POST", "/dashboard/policies/rules", async (c) => {
    const form = await validPolicy(c);
    if (!form.ok) return show(c, deps, form.errors);
    const id = `pol_${crypto.randomUUID()}`;
    await prisma.gesturePolicy.create({ data: { id, ...form.value } });
    deps.reference.changed("policies");
    await log(c, "policy.update", id, { change: "created", after: form.value });
    return done(c, `policy ${id}`);
  });

  page(app, "POST", "/dashboard/policies/rules/:id", async (c) => {
    const id = c.req.param("id") ?? "";
    const before = await prisma.gesturePolicy.findUnique({ where: { id } });
    if (!before) throw new AppError("not_found", "no policy with that id");
    const form = await validPolicy(c, id);
    if (!form.ok) return show(c, deps, form.errors);
    if (!replayChecked(c, `policy:${id}`, form.value, await c.req.parseBody()))
      return show(c, deps, [{ field: "replay", message: `policy ${id}: ${REPLAY_FIRST}` }]);
    await prisma.gesturePolicy.update({ where: { id }, data: form.value });
    deps.reference.changed("policies");
    await log(c, "policy.update", id, {
      change: "updated",
      before: { ...before, approvalLimit: Number(before.approvalLimit) },
      after: form.value,
    });
    return done(c, `policy ${id}`);
  });

  page(app, "POST", "/dashboard/policies/rules/:id/replay", async (c) => {
    const id = c.req.param("id") ?? "";
    if (!(await prisma.gesturePolicy.findUnique({ where: { id } })))
      throw new AppError("not_found", "no policy with that id");
    const form = await validPolicy(c, id);
    if (!form.ok) return show(c, deps, form.errors);
    const change = form.value;
    return showPolicyReplay(
      c,
      deps,
      {
        what: `policy:${id}`,
        title: `policy ${id}`,
        value: change,
        saveAction: `/dashboard/policies/rules/${encodeURIComponent(id)}`,
        fields: formStrings(await c.req.parseBody()),
      },
      (world) => ({ ...world, policies: world.policies.map((p) => (p.id === id ? { ...p, ...change } : p)) }),
    );
  });

  page(app, "GET", "/dashboard/policies/rules/:id/delete", async (c) => {
    const id = c.req.param("id") ?? "";
    const p = await prisma.gesturePolicy.findUnique({ where: { id } });
    if (!p) throw new AppError("not_found", "no policy with that id");
    const { policies, gestures } = await loadPolicies(deps);
    return renderPage(
      c,
      `Delete policy ${id}?`,
      <>
        <style nonce={c.var.cspNonce}>{raw(POLICIES_CSS)}</style>
        <p>
          <a href="/dashboard/policies">← Policies</a>
        </p>
        <ConfirmDeletePage p={p} policies={policies} catalog={gestures} csrf={c.var.csrfToken} />
      </>,
    );
  });

  // Deleting is irreversible: only the confirmation page's form (confirm=yes) deletes.
  page(app, "POST", "/dashboard/policies/rules/:id/delete", async (c) => {
    const id = c.req.param("id") ?? "";
    const before = await prisma.gesturePolicy.findUnique({ where: { id } });
    if (!before) throw new AppError("not_found", "no policy with that id");
    const body = await c.req.parseBody();
    if (body.confirm !== "yes")
      return show(c, deps, [
        {
          field: "confirm",
          message: `policy ${id} was not deleted: deleting asks for a confirmation first (its Delete… link, ${rulePath(id)}/delete)`,
        },
      ]);
    await prisma.gesturePolicy.delete({ where: { id } });
    deps.reference.changed("policies");
    await log(c, "policy.update", id, {
      change: "deleted",
      before: { ...before, approvalLimit: Number(before.approvalLimit) },
    });
    return done(c, `policy ${id} deleted`);
  });

  page(app, "POST", "/dashboard/policies/budget", async (c) => {
    const form = parseForm(BudgetForm, await c.req.parseBody());
    if (!form.ok) return show(c, deps, form.errors);
    const { period, limit, currency } = form.value;
    if (!budgetPeriods(deps.now()).includes(period))
      return show(c, deps, [{ field: "period", message: "only this month's and next month's budgets can be set" }]);
    if (!replayChecked(c, "budget", form.value, await c.req.parseBody()))
      return show(c, deps, [{ field: "replay", message: `budget ${period}: ${REPLAY_FIRST}` }]);
    const before = await prisma.budget.findUnique({ where: { period } });
    await prisma.budget.upsert({ where: { period }, create: { period, limit, currency }, update: { limit, currency } });
    deps.reference.changed("budgets");
    await log(c, "budget.update", period, {
      before: before ? { limit: Number(before.limit), currency: before.currency } : null,
      after: { limit, currency },
    });
    return done(c, `budget ${period}`);
  });

  page(app, "POST", "/dashboard/policies/budget/replay", async (c) => {
    const body = await c.req.parseBody();
    const form = parseForm(BudgetForm, body);
    if (!form.ok) return show(c, deps, form.errors);
    const { period, limit, currency } = form.value;
    if (!budgetPeriods(deps.now()).includes(period))
      return show(c, deps, [{ field: "period", message: "only this month's and next month's budgets can be set" }]);
    return showPolicyReplay(
      c,
      deps,
      {
        what: "budget",
        title: `budget ${period}`,
        value: form.value,
        saveAction: "/dashboard/policies/budget",
        fields: formStrings(body),
      },
      (world) => ({ ...world, budgets: new Map([...world.budgets, [period, { limit, currency }]]) }),
    );
  });

  page(app, "POST", "/dashboard/policies/settings/replay", async (c) => {
    const body = await c.req.parseBody();
    const form = parseForm(SettingsForm, body);
    if (!form.ok) return show(c, deps, form.errors);
    const cap = form.value.gestureCap;
    return showPolicyReplay(
      c,
      deps,
      {
        what: "settings",
        title: "limits",
        value: form.value,
        saveAction: "/dashboard/policies/settings",
        fields: formStrings(body),
      },
      (world) => ({ ...world, capPer30Days: cap }),
    );
  });

  page(app, "POST", "/dashboard/policies/settings", async (c) => {
    const form = parseForm(SettingsForm, await c.req.parseBody());
    if (!form.ok) return show(c, deps, form.errors);
    if (!replayChecked(c, "settings", form.value, await c.req.parseBody()))
      return show(c, deps, [{ field: "replay", message: `limits: ${REPLAY_FIRST}` }]);
    const before = await currentSettings(prisma);
    const changes: [string, number, number][] = [
      [GESTURE_CAP_SETTING, before.gestureCap, form.value.gestureCap],
      [MANAGER_LIMIT_SETTING, before.managerApprovalLimit, form.value.managerApprovalLimit],
    ];
    for (const [key, was, value] of changes) {
      if (was === value) continue;
      await prisma.setting.upsert({
        where: { key },
        create: { key, value: String(value) },
        update: { value: String(value) },
      });
      deps.reference.changed("settings");
      await log(c, "setting.update", key, { before: was, after: value });
    }
    return done(c, "limits");
  });
}
