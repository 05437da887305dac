/**
 * The policies page's policy tables: one per disruption kind, each policy a row in words (which
 * disruptions, which customers, what they get, who approves), its form folded under the row, and a
 * Delete that asks first (`ConfirmDeletePage`, a page of its own, so it works without JavaScript).
 */
import type { Child } from "hono/jsx";
import { parseDuration } from "../engine/duration.ts";
import { findPolicy } from "../recovery/gestures.ts";
import { CsrfField } from "./layout.tsx";
import { POLICY_CHOICES } from "./policy-forms.ts";
import { duration, kindLabel, money, severityLabel, tierLabel } from "./words.ts";

export interface PolicyRow {
  id: string;
  disruptionKind: string;
  severity: string;
  tier: string;
  gestureId: string;
  fallbackGestureId: string | null;
  approvalLimit: unknown;
  approvalTimeout: string;
  priority: number;
}
export interface CatalogEntry {
  id: string;
  name: string;
  value: unknown;
  currency: string;
  active: boolean;
}

export const rulePath = (id: string) => `/dashboard/policies/rules/${encodeURIComponent(id)}`;

export const severityWords = (s: string) => (s === "*" ? "Any severity" : severityLabel(s));
export const tierWords = (t: string) => (t === "*" ? "All customers" : `${tierLabel(t)} customers`);
/** "Late delivery · High · VIP customers" */
export const policyTitle = (p: PolicyRow) =>
  `${p.disruptionKind === "*" ? "Any disruption" : kindLabel(p.disruptionKind)} · ${severityWords(p.severity)} · ${tierWords(p.tier)}`;

function gestureWords(id: string | null, catalog: readonly CatalogEntry[]): string {
  if (!id) return "nothing";
  const g = catalog.find((x) => x.id === id);
  if (!g) return `${id} (not in the catalog: no gesture)`;
  return `${g.name} (${money(g.value, g.currency)})${g.active ? "" : ", retired: not given"}`;
}

function timeoutWords(timeout: string): string {
  try {
    return duration(parseDuration(timeout));
  } catch {
    return timeout;
  }
}

/** Who decides, in a sentence: given at once within the limit, else a manager within the timeout (or the fallback). */
export function approvalWords(p: PolicyRow, catalog: readonly CatalogEntry[]): string {
  const g = catalog.find((x) => x.id === p.gestureId);
  const limit = money(p.approvalLimit, g?.currency ?? "EUR");
  if (g && Number(g.value) <= Number(p.approvalLimit)) return `Given at once (within the ${limit} limit)`;
  return `A manager decides (above ${limit}); no decision within ${timeoutWords(p.approvalTimeout)}: ${gestureWords(p.fallbackGestureId, catalog)}`;
}

export const Field = (props: { label: string; name: string; value?: string | number | null; size?: number }) => (
  <label>
    {props.label}
    <input type="text" name={props.name} value={props.value == null ? "" : String(props.value)} size={props.size} />
  </label>
);

export function Select(props: { label: string; name: string; options: readonly string[]; value?: string | null }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        {props.options.map((o) => (
          <option value={o} selected={o === (props.value ?? "")}>
            {o === "" ? "(none)" : o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A change is saved from its replay: this button shows what it would have done over past disruptions first. */
export const ReplayButton = (props: { action: string }) => (
  <button type="submit" formaction={`${props.action}/replay`}>
    Replay and save…
  </button>
);

function PolicyEditForm(props: { p: PolicyRow; csrf: string; gestureIds: string[] }) {
  const { p, gestureIds } = props;
  return (
    <form class="policy-form" method="post" action={rulePath(p.id)}>
      <CsrfField token={props.csrf} />
      <Select label="Kind" name="disruptionKind" options={POLICY_CHOICES.kinds} value={p.disruptionKind} />
      <Select label="Severity" name="severity" options={POLICY_CHOICES.severities} value={p.severity} />
      <Select label="Tier" name="tier" options={POLICY_CHOICES.tiers} value={p.tier} />
      <Select label="Gesture" name="gestureId" options={gestureIds} value={p.gestureId} />
      <Select
        label="Fallback"
        name="fallbackGestureId"
        options={["", ...gestureIds]}
        value={p.fallbackGestureId ?? ""}
      />
      <Field label="Approval limit" name="approvalLimit" value={Number(p.approvalLimit)} size={6} />
      <Field label="Approval timeout" name="approvalTimeout" value={p.approvalTimeout} size={5} />
      <ReplayButton action={rulePath(p.id)} />
    </form>
  );
}

/** Within a kind: broadest first, then by severity and tier as declared (low → critical, standard → VIP). */
const rank = (p: PolicyRow) =>
  (POLICY_CHOICES.severities as readonly string[]).indexOf(p.severity) * 10 +
  (POLICY_CHOICES.tiers as readonly string[]).indexOf(p.tier);

const COLUMNS = ["Severity", "Customers", "Gesture", "Approval"] as const;

/** Every policy, a table per disruption kind (in the order kinds are declared; "*" last). */
export function PolicyTables(props: {
  policies: readonly PolicyRow[];
  catalog: readonly CatalogEntry[];
  csrf: string;
  editor: boolean;
}) {
  const { policies, catalog, editor } = props;
  const kinds = [...POLICY_CHOICES.kinds, "*"].filter((k) => policies.some((p) => p.disruptionKind === k));
  const gestureIds = catalog.map((g) => g.id);
  const span = COLUMNS.length + (editor ? 1 : 0);
  return (
    <>
      {kinds.map((kind) => (
        <section class="policy-group" data-kind={kind}>
          <h3>{kind === "*" ? "Any disruption" : kindLabel(kind)}</h3>
          <table class="policy-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th scope="col">{c}</th>
                ))}
                {editor ? (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            {policies
              .filter((p) => p.disruptionKind === kind)
              .sort((a, b) => rank(a) - rank(b))
              .map((p) => (
                <tbody data-policy={p.id}>
                  <tr>
                    <td data-label="Severity">{severityWords(p.severity)}</td>
                    <td data-label="Customers">{tierWords(p.tier)}</td>
                    <td data-label="Gesture">{gestureWords(p.gestureId, catalog)}</td>
                    <td data-label="Approval">{approvalWords(p, catalog)}</td>
                    {editor ? (
                      <td class="row-actions">
                        <a
                          class="button danger"
                          href={`${rulePath(p.id)}/delete`}
                          aria-label={`Delete ${policyTitle(p)}…`}
                        >
                          Delete…
                        </a>
                      </td>
                    ) : null}
                  </tr>
                  {editor ? (
                    <tr class="policy-edit">
                      <td colspan={span}>
                        <details>
                          <summary>
                            Change <span class="visually-hidden">{policyTitle(p)}</span>
                            <span class="muted">({p.id})</span>
                          </summary>
                          <PolicyEditForm p={p} csrf={props.csrf} gestureIds={gestureIds} />
                        </details>
                      </td>
                    </tr>
                  ) : null}
                </tbody>
              ))}
          </table>
        </section>
      ))}
    </>
  );
}

/** What the disruptions a policy covers get once it is gone, as far as it can be said for one policy. */
function afterDelete(p: PolicyRow, policies: readonly PolicyRow[], catalog: readonly CatalogEntry[]): string {
  if (p.disruptionKind === "*" || p.severity === "*" || p.tier === "*")
    return "The disruptions it covers then follow the next policy that fits each of them; those no policy fits get no gesture.";
  const rest = policies.filter((x) => x.id !== p.id).map((x) => ({ ...x, approvalLimit: Number(x.approvalLimit) }));
  const next = findPolicy(
    {
      disruptionKind: p.disruptionKind,
      severity: p.severity,
      tier: p.tier,
      recentGrants: 0,
      capPer30Days: 0,
      budget: { limit: 0, spent: 0, currency: "EUR" },
    },
    rest,
  );
  if (!next) return "The disruptions it covers then get no gesture: no other policy fits them.";
  return `The disruptions it covers then follow the policy for ${policyTitle(next as PolicyRow).toLowerCase()}: ${gestureWords(next.gestureId, catalog)}.`;
}

/** GET …/rules/:id/delete: the confirmation step (the Delete button on the page only leads here). */
export function ConfirmDeletePage(props: {
  p: PolicyRow;
  policies: readonly PolicyRow[];
  catalog: readonly CatalogEntry[];
  csrf: string;
}) {
  const { p, catalog } = props;
  const rows: Array<[string, Child]> = [
    ["Disruption", p.disruptionKind === "*" ? "Any disruption" : kindLabel(p.disruptionKind)],
    ["Severity", severityWords(p.severity)],
    ["Customers", tierWords(p.tier)],
    ["Gesture", gestureWords(p.gestureId, catalog)],
    ["Approval", approvalWords(p, catalog)],
  ];
  return (
    <section class="card confirm-delete">
      <h1>Delete policy {p.id}?</h1>
      <p>
        <strong>This cannot be undone.</strong> {afterDelete(p, props.policies, catalog)}
      </p>
      <dl class="policy-words">
        {rows.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
      </dl>
      <form method="post" action={`${rulePath(p.id)}/delete`} class="actions">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="danger confirm">
          Delete policy {p.id}
        </button>
        <a href="/dashboard/policies">Cancel, keep it</a>
      </form>
    </section>
  );
}

/**
 * Retiring a gesture (unticking "active") stops every policy that names it from giving it: the
 * update asks first, with the policies it touches, and carries the same fields on with `confirm=yes`.
 */
export function ConfirmRetirePage(props: {
  gesture: CatalogEntry;
  policies: readonly PolicyRow[];
  fields: Record<string, string>;
  csrf: string;
}) {
  const { gesture: g } = props;
  const naming = props.policies.filter((p) => p.gestureId === g.id || p.fallbackGestureId === g.id);
  const { _csrf, confirm: _confirm, ...fields } = props.fields;
  return (
    <section class="card confirm-delete">
      <h1>Retire gesture {g.name}?</h1>
      <p>
        No recovery gives it while it is retired (tick "active" again to bring it back).{" "}
        {naming.length === 0 ? "No policy names it." : "Until then:"}
      </p>
      {naming.length ? (
        <ul>
          {naming.map((p) => (
            <li data-policy={p.id}>
              {policyTitle(p)}:{" "}
              {p.gestureId === g.id ? "gives no gesture (the apology goes without one)" : "has no fallback gesture"}
            </li>
          ))}
        </ul>
      ) : null}
      <form method="post" action={`/dashboard/policies/gestures/${encodeURIComponent(g.id)}`} class="actions">
        <CsrfField token={props.csrf} />
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="danger confirm">
          Retire {g.name}
        </button>
        <a href="/dashboard/policies">Cancel, keep it active</a>
      </form>
    </section>
  );
}
