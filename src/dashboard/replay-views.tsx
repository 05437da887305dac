/** What a replay shows: a draft template's or a policy change's effect on past disruptions. */
import { raw } from "hono/html";
import { REPLAY_DAYS, type Window } from "../replay/load.ts";
import { type PolicyOutcome, type PolicyReplay, spendChange } from "../replay/policy.ts";
import { SMS_SEGMENT_BUDGET, type TemplateReplay } from "../replay/template.ts";
import type { DiffLine } from "../templates/studio.ts";

export const REPLAY_CSS = `
.replay-figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.75rem;margin:.5rem 0}
.replay-figures div{border:1px solid #ddd;border-radius:6px;padding:.5rem .75rem}
.replay-figures .big{font-size:1.5rem;font-weight:600;margin:.1rem 0}
pre.diff { font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; margin: .5rem 0; }
pre.diff .add { background: rgba(11, 110, 79, .15); display: block; }
pre.diff .del { background: rgba(179, 38, 30, .15); display: block; }
pre.diff .same { display: block; }
.replay-table { overflow-x: auto; max-width: 100%; }
`;

export function WindowNote(props: { window: Window; what: string }) {
  const w = props.window;
  return (
    <p class="muted" data-replay-window>
      Replayed over the last {w.days} days ({props.what}). Nothing was sent and nothing was saved.
      {w.capped ? ` The window holds ${w.total}; only the most recent were replayed (a sample).` : ""}
    </p>
  );
}

export function DaysPicker(props: { days: number; action: string; hidden?: Record<string, string> }) {
  return (
    <form method="get" action={props.action} class="actions">
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <label>
        Replay over the last{" "}
        <select name="days">
          {REPLAY_DAYS.map((d) => (
            <option value={String(d)} selected={d === props.days}>
              {d} days
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Replay</button>
    </form>
  );
}

export const Diff = (props: { lines: DiffLine[] }) => (
  <pre class="diff">
    {props.lines.map((d) => (
      <span class={d.op}>
        {d.op === "add" ? "+ " : d.op === "del" ? "- " : "  "}
        {d.text}
      </span>
    ))}
  </pre>
);

const Figure = (props: { label: string; value: string | number; name: string }) => (
  <div data-figure={props.name}>
    <span class="muted">{props.label}</span>
    <p class="big">{String(props.value)}</p>
  </div>
);

export function TemplateReplayView(props: { r: TemplateReplay; channel: "email" | "sms" }) {
  const { r } = props;
  return (
    <section class="card" data-replay="template">
      <h2>What this draft would have changed</h2>
      <div class="replay-figures">
        <Figure name="messages" label="Past messages replayed" value={r.messages} />
        <Figure name="changed" label="Messages whose text changes" value={r.changed} />
        {props.channel === "sms" ? (
          <Figure
            name="sms-over-budget"
            label={`SMS over ${SMS_SEGMENT_BUDGET} segment (now → draft)`}
            value={`${r.smsOverBudget.before} → ${r.smsOverBudget.after}`}
          />
        ) : null}
        <Figure name="language-warnings" label="Language-check warnings" value={r.languageWarningCount} />
        <Figure name="failures" label="Could not render" value={r.failures.length} />
      </div>
      {r.samples.map((s) => (
        <details open data-sample={s.disruptionId}>
          <summary>Disruption {s.disruptionId}: what the customer read → what they would read</summary>
          <Diff lines={s.diff} />
        </details>
      ))}
      {r.languageWarnings.length ? (
        <ul>
          {r.languageWarnings.map((w) => (
            <li>
              {w.disruptionId}: {w.warning}
            </li>
          ))}
        </ul>
      ) : null}
      {r.failures.slice(0, 3).map((f) => (
        <p class="errors">
          {f.disruptionId}: {f.error}
        </p>
      ))}
    </section>
  );
}

const money = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([c, v]) => `${v} ${c}`)
    .join(" + ") || "0";
const signed = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([c, v]) => `${v > 0 ? "+" : ""}${v} ${c}`)
    .join(", ") || "no change";

const OutcomeRow = (props: { label: string; o: PolicyOutcome }) => (
  <tr>
    <th scope="row">{props.label}</th>
    <td>{props.o.gestures}</td>
    <td>{props.o.approvals}</td>
    <td>{money(props.o.spend)}</td>
    <td>{money(props.o.autoSpend)}</td>
    <td>{props.o.noGesture}</td>
  </tr>
);

export function PolicyReplayView(props: { r: PolicyReplay }) {
  const { r } = props;
  return (
    <section class="card" data-replay="policy">
      <h2>What this change would have done</h2>
      <div class="replay-figures">
        <Figure name="disruptions" label="Past disruptions replayed" value={r.disruptions} />
        <Figure
          name="approvals"
          label="Approvals needed (now → changed)"
          value={`${r.before.approvals} → ${r.after.approvals}`}
        />
        <Figure name="spend-change" label="Gesture spend change (if approved)" value={signed(spendChange(r))} />
        <Figure
          name="auto-spend-change"
          label="Spend granted without a manager, change"
          value={signed(spendChange(r, "autoSpend"))}
        />
        <Figure name="changed" label="Disruptions decided differently" value={r.changedCount} />
      </div>
      <div class="replay-table">
        <table>
          <thead>
            <tr>
              <th />
              <th scope="col">Gestures</th>
              <th scope="col">Approvals needed</th>
              <th scope="col">Spend (if approved)</th>
              <th scope="col">Spend without a manager</th>
              <th scope="col">No gesture</th>
            </tr>
          </thead>
          <tbody>
            <OutcomeRow label="In force" o={r.before} />
            <OutcomeRow label="With the change" o={r.after} />
          </tbody>
        </table>
      </div>
      {r.changed.length ? (
        <ul>
          {r.changed.map((c) => (
            <li data-changed={c.disruptionId}>
              {c.disruptionId}: {c.before} → {c.after}
            </li>
          ))}
        </ul>
      ) : null}
      <p class="muted">
        Each side is simulated in time order with its own budget spend and per-customer cap; grants made before the
        window are not counted.
      </p>
    </section>
  );
}

export const ReplayStyle = (props: { nonce: string }) => <style nonce={props.nonce}>{raw(REPLAY_CSS)}</style>;
