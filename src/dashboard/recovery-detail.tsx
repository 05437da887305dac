/** One recovery's story: signal, detection, gesture, approval, each message as sent, delivery, follow-up. */
import { can } from "../auth/roles.ts";
import { AppError } from "../http/errors.ts";
import { type DisruptionDetail, findDisruptionDetail } from "../recovery/queries.ts";
import { EraseCustomerForm } from "./customer-erase.tsx";
import { renderPage } from "./layout.tsx";
import { age, fmt, MessagePreview, money, PageStyle } from "./message-preview.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

type Message = DisruptionDetail["messages"][number];
type Entry = DisruptionDetail["timeline"][number];
type Item = { at: Date; entry: Entry; message?: undefined } | { at: Date; message: Message; entry?: undefined };

function pretty(facts: string): string {
  try {
    return JSON.stringify(JSON.parse(facts), null, 2);
  } catch {
    return facts;
  }
}

function MessageItem(props: { m: Message }) {
  const { m } = props;
  return (
    <>
      <strong>
        {m.purpose} {m.channel === "sms" ? "SMS" : "email"} — {m.status}
        {m.deliveryStatus ? ` · ${m.deliveryStatus.replace("_", " ")}` : ""}
      </strong>
      <div class="when">
        {m.provider ? `via ${m.provider}` : "no provider"}
        {m.providerId ? ` (${m.providerId})` : ""}
        {m.sentAt ? ` · sent ${fmt(m.sentAt)}` : ""}
        {m.scheduledFor ? ` · scheduled for ${fmt(m.scheduledFor)}` : ""}
        {m.templateKey ? ` · template ${m.templateKey} v${m.templateVersion ?? "?"}` : ""}
      </div>
      {m.error ? <p class="error">Delivery error: {m.error}</p> : null}
      {m.fallbackFor ? <p class="why">Sent instead of a message that could not be delivered.</p> : null}
      <DeliveryHistory m={m} />
      <MessagePreview message={m} />
    </>
  );
}

/** What the provider reported, in order: accepted → delivered, or bounced / undelivered with its code. */
function DeliveryHistory(props: { m: Message }) {
  const events = props.m.deliveryEvents;
  if (events.length === 0) return null;
  return (
    <ol class="delivery" data-delivery={props.m.deliveryStatus ?? ""}>
      {events.map((e) => (
        <li class={`delivery-${e.status}`}>
          {fmt(e.at)} · {e.status.replace("_", " ")}
          {e.errorCode ? ` (${e.errorCode})` : ""}
          {e.detail ? ` — ${e.detail}` : ""}
        </li>
      ))}
    </ol>
  );
}

function Story(props: { d: DisruptionDetail; now: Date; canDecide: boolean }) {
  const { d } = props;
  const items: Item[] = [
    ...d.timeline.map((entry) => ({ at: entry.at, entry })),
    ...d.messages.map((message) => ({ at: message.sentAt ?? message.createdAt, message })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const pending = d.approvals.find((a) => a.status === "pending");
  return (
    <>
      <h1>
        {d.kind} for {d.customer.name}
      </h1>
      <p class="muted">
        {d.id} · customer {d.customerId} ({d.customer.tier}) · <span class="badge">{d.status}</span> ·{" "}
        {d.complainedFirst ? "the customer complained first" : "proactive: we wrote first"}
      </p>
      {pending ? (
        <p class="card">
          Waiting for a manager since {fmt(pending.requestedAt)} ({age(pending.requestedAt, props.now)}).{" "}
          {props.canDecide ? <a href="/dashboard/approvals">Decide in the approval queue</a> : null}
        </p>
      ) : null}
      <div class="grid">
        <section class="card">
          <h2>Signal</h2>
          <p>
            {d.subjectKey} at {fmt(d.signalAt)}
          </p>
          <pre class="facts">{pretty(d.facts)}</pre>
        </section>
        <section class="card">
          <h2>Detection</h2>
          <p>
            {fmt(d.detectedAt)} · severity <strong>{d.severity}</strong>
          </p>
          <p class="why">{d.reason}</p>
        </section>
        <section class="card">
          <h2>Gesture</h2>
          {d.grants.length === 0 ? <p class="muted">None.</p> : null}
          {d.grants.map((g) => (
            <div class="grant">
              <p>
                <strong>{g.description}</strong> — {money(g.value, g.currency)} · {g.status}
                {g.code ? ` · code ${g.code}` : ""}
              </p>
              <p class="why">{g.reason}</p>
            </div>
          ))}
        </section>
        <section class="card">
          <h2>Approval</h2>
          {d.approvals.length === 0 ? <p class="muted">Not needed.</p> : null}
          {d.approvals.map((a) => (
            <div class="approval">
              <p>
                <strong>{a.status}</strong> · requested {fmt(a.requestedAt)}
                {a.decidedAt ? ` · decided ${fmt(a.decidedAt)} by ${a.decidedBy ?? "—"}` : ""}
              </p>
              {a.note ? <p class="why">Note: {a.note}</p> : null}
            </div>
          ))}
        </section>
        <section class="card">
          <h2>Follow-up</h2>
          <p>
            Due {fmt(d.followUpDueAt)} · sent {fmt(d.followUpSentAt)} · resolved {fmt(d.resolvedAt)}
          </p>
        </section>
      </div>
      <h2>Timeline</h2>
      <ol class="timeline">
        {items.map((item) => (
          <li class={item.message ? "message" : `entry ${item.entry.type}`}>
            <div class="when">{fmt(item.at)}</div>
            {item.message ? (
              <MessageItem m={item.message} />
            ) : (
              <>
                <strong>
                  {item.entry.type}: {item.entry.summary}
                </strong>
                {item.entry.reason ? <p class="why">{item.entry.reason}</p> : null}
              </>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

export function recoveryDetailRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "GET", "/dashboard/recoveries/:id", async (c) => {
    const d = await findDisruptionDetail(deps.prisma, c.req.param("id") ?? "");
    if (!d) throw new AppError("not_found", "no recovery with that id");
    return renderPage(
      c,
      `Recovery for ${d.customer.name}`,
      <>
        <PageStyle nonce={c.var.cspNonce} />
        <p>
          <a href="/dashboard/recoveries">← All recoveries</a>
        </p>
        <Story d={d} now={deps.now()} canDecide={can(c.var.user.role, "approvals:decide")} />
        {can(c.var.user.role, "customers:erase") ? (
          <EraseCustomerForm customerId={d.customerId} erased={d.customer.erasedAt !== null} csrf={c.var.csrfToken} />
        ) : null}
      </>,
    );
  });
}
