/** One recovery's story: signal, detection, gesture, approval, each message as sent, delivery, follow-up. */
import { can } from "../auth/roles.ts";
import { AppError } from "../http/errors.ts";
import { type DisruptionDetail, findDisruptionDetail } from "../recovery/queries.ts";
import { EraseCustomerForm } from "./customer-erase.tsx";
import { Facts, parseFacts } from "./facts.tsx";
import { renderPage } from "./layout.tsx";
import { age, fmt, MessagePreview, money, PageStyle } from "./message-preview.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";
import { Time } from "./time.tsx";
import {
  approvalStatusLabel,
  channelLabel,
  deliveryLabel,
  entryTypeLabel,
  grantStatusLabel,
  kindLabel,
  messageStatusLabel,
  purposeLabel,
  reasonText,
  severityLabel,
  statusLabel,
  tierLabel,
} from "./words.ts";

type Message = DisruptionDetail["messages"][number];
type Entry = DisruptionDetail["timeline"][number];
type Item = { at: Date; entry: Entry; message?: undefined } | { at: Date; message: Message; entry?: undefined };

/** The message id a timeline line is about (the sending code stores it in `data`), if any. */
function messageIdOf(entry: Entry): string | null {
  if (!entry.data) return null;
  try {
    const data = JSON.parse(entry.data) as { messageId?: unknown };
    return typeof data.messageId === "string" ? data.messageId : null;
  } catch {
    return null;
  }
}

const PROVIDERS: Record<string, string> = { resend: "Resend", twilio: "Twilio", outbox: "the local outbox" };

function MessageItem(props: { m: Message; notes: Entry[] }) {
  const { m } = props;
  return (
    <>
      <strong>
        {purposeLabel(m.purpose)} {channelLabel(m.channel).toLowerCase() === "sms" ? "SMS" : "email"} —{" "}
        {messageStatusLabel(m.status).toLowerCase()}
        {m.deliveryStatus ? `, ${deliveryLabel(m.deliveryStatus)}` : ""}
      </strong>
      <div class="when">
        {m.sentAt ? <>Sent {fmt(m.sentAt)}</> : null}
        {m.scheduledFor && !m.sentAt ? <>Held until {fmt(m.scheduledFor)} (quiet hours)</> : null}
        {m.provider ? ` · via ${PROVIDERS[m.provider] ?? m.provider}` : ""}
        {m.templateKey ? ` · template version ${m.templateVersion ?? "?"}` : ""}
      </div>
      {m.error ? <p class="error">Delivery error: {m.error.replaceAll("_", " ")}</p> : null}
      {m.fallbackFor ? <p class="why">Sent instead of a message that could not be delivered.</p> : null}
      {props.notes.map((n) => (
        <p class="why">
          {n.summary}
          {n.reason ? ` — ${n.reason}` : ""}
        </p>
      ))}
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
          {fmt(e.at)} · {deliveryLabel(e.status)}
          {e.errorCode ? ` (${e.errorCode})` : ""}
          {e.detail ? ` — ${e.detail}` : ""}
        </li>
      ))}
    </ol>
  );
}

function Story(props: { d: DisruptionDetail; now: Date; canDecide: boolean }) {
  const { d } = props;
  // Each message once: the lines written about a message (sent, a language warning, …) go with it.
  const shown = new Set(d.messages.map((m) => m.id));
  const notes = new Map<string, Entry[]>();
  const lines: Entry[] = [];
  for (const entry of d.timeline) {
    const id = messageIdOf(entry);
    if (id && shown.has(id)) {
      if (!/ sent to /.test(entry.summary)) notes.set(id, [...(notes.get(id) ?? []), entry]);
    } else lines.push(entry);
  }
  const zone = d.customer.timeZone;
  const items: Item[] = [
    ...lines.map((entry) => ({ at: entry.at, entry })),
    ...d.messages.map((message) => ({ at: message.sentAt ?? message.createdAt, message })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const pending = d.approvals.find((a) => a.status === "pending");
  return (
    <>
      <h1>
        {kindLabel(d.kind)} for {d.customer.name}
      </h1>
      <p class="muted">
        {tierLabel(d.customer.tier)} customer · <span class="badge">{statusLabel(d.status)}</span> ·{" "}
        {d.complainedFirst ? "the customer complained first" : "we wrote first, before any complaint"}
      </p>
      {pending ? (
        <p class="card">
          Waiting for a manager since {fmt(pending.requestedAt)} ({age(pending.requestedAt, props.now)}).{" "}
          {props.canDecide ? <a href="/dashboard/approvals">Decide in the approval queue</a> : null}
        </p>
      ) : null}
      <div class="grid">
        <section class="card">
          <h2>What happened</h2>
          <p class="when">Reported {fmt(d.signalAt)}</p>
          <Facts facts={parseFacts(d.facts)} customerZone={zone} />
        </section>
        <section class="card">
          <h2>Detection</h2>
          <p>
            {fmt(d.detectedAt)} · severity <strong>{severityLabel(d.severity)}</strong>
          </p>
          <p class="why">{reasonText(d.reason)}</p>
        </section>
        <section class="card">
          <h2>Gesture</h2>
          {d.grants.length === 0 ? <p class="muted">None.</p> : null}
          {d.grants.map((g) => (
            <div class="grant">
              <p>
                <strong>{g.description}</strong> — {money(g.value, g.currency)} · {grantStatusLabel(g.status)}
                {g.code ? ` · code ${g.code}` : ""}
              </p>
              <p class="why">{reasonText(g.reason)}</p>
            </div>
          ))}
        </section>
        <section class="card">
          <h2>Approval</h2>
          {d.approvals.length === 0 ? <p class="muted">Not needed.</p> : null}
          {d.approvals.map((a) => (
            <div class="approval">
              <p>
                <strong>{approvalStatusLabel(a.status)}</strong> · asked {fmt(a.requestedAt)}
                {a.decidedAt ? (
                  <>
                    {" "}
                    · decided {fmt(a.decidedAt)} by {a.decidedBy ?? "—"}
                  </>
                ) : null}
              </p>
              {a.note ? <p class="why">Note: {a.note}</p> : null}
            </div>
          ))}
        </section>
        <section class="card">
          <h2>Follow-up</h2>
          <dl class="facts">
            <dt>Due</dt>
            <dd>
              <Time at={d.followUpDueAt} customerZone={zone} empty="not planned" />
            </dd>
            <dt>Sent</dt>
            <dd>
              <Time at={d.followUpSentAt} empty="not yet" />
            </dd>
            <dt>Resolved</dt>
            <dd>
              <Time at={d.resolvedAt} empty="not yet" />
            </dd>
          </dl>
        </section>
      </div>
      <h2>Timeline</h2>
      <ol class="timeline">
        {items.map((item) => (
          <li class={item.message ? "message" : `entry ${item.entry.type}`}>
            <div class="when">{fmt(item.at)}</div>
            {item.message ? (
              <MessageItem m={item.message} notes={notes.get(item.message.id) ?? []} />
            ) : (
              <>
                <strong>
                  {entryTypeLabel(item.entry.type)}: {item.entry.summary}
                </strong>
                {item.entry.reason ? <p class="why">{reasonText(item.entry.reason)}</p> : null}
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
