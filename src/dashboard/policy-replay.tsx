/**
 * Policy changes are replayed before they are saved: the policies page's Save buttons post to
 * `…/replay`, which shows what the change would have done over the last N days of disruptions and
 * carries a token for that exact change; the save routes refuse a change without it.
 */
import type { Context } from "hono";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import { REPLAY_DAYS, replayDays } from "../replay/load.ts";
import type { PolicyWorld } from "../replay/policy.ts";
import { runPolicyReplay } from "../replay/run.ts";
import { replaySeen, replayToken } from "../replay/token.ts";
import { CsrfField, renderPage } from "./layout.tsx";
import type { DashboardDeps } from "./register.ts";
import { PolicyReplayView, ReplayStyle, WindowNote } from "./replay-views.tsx";

export type WorldChange = (world: PolicyWorld) => PolicyWorld;

/** The message a save without its replay gets (inline, on the policies page). */
export const REPLAY_FIRST = "replay this change first: its Save button shows what it would have done, then saves";

export const replayChecked = (c: Context<DashboardEnv>, what: string, value: unknown, body: Record<string, unknown>) =>
  replaySeen(c.var.csrfToken, what, value, body.replay);

export async function showPolicyReplay(
  c: Context<DashboardEnv>,
  deps: DashboardDeps,
  change: { what: string; title: string; value: unknown; saveAction: string; fields: Record<string, string> },
  apply: WorldChange,
) {
  const days = replayDays(change.fields.days);
  const { window, replay: r } = await runPolicyReplay(deps.prisma, deps.now(), days, apply);
  const { days: _days, _csrf, replay: _replay, ...fields } = change.fields;
  const hidden = Object.entries(fields).map(([name, value]) => <input type="hidden" name={name} value={value} />);
  return renderPage(
    c,
    `Replay · ${change.title}`,
    <>
      <ReplayStyle nonce={c.var.cspNonce} />
      <h1>Replay: {change.title}</h1>
      <p>
        <a href="/dashboard/policies">Back to the policies (nothing saved)</a>
      </p>
      <form method="post" action={`${change.saveAction}/replay`} class="actions">
        <CsrfField token={c.var.csrfToken} />
        {hidden}
        <label>
          Replay over the last{" "}
          <select name="days">
            {REPLAY_DAYS.map((d) => (
              <option value={String(d)} selected={d === days}>
                {d} days
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Replay</button>
      </form>
      <WindowNote window={window} what="compared with the policies in force" />
      <PolicyReplayView r={r} />
      <form method="post" action={change.saveAction} class="actions">
        <CsrfField token={c.var.csrfToken} />
        {hidden}
        <input type="hidden" name="replay" value={replayToken(c.var.csrfToken, change.what, change.value)} />
        <button type="submit">Save this change</button>
      </form>
    </>,
  );
}

export const formStrings = (body: Record<string, unknown>) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
};
