/** The local outbox: messages held when no provider is configured, as the customer would see them. */
import { renderPage } from "./layout.tsx";
import { fmt, MessagePreview, PageStyle } from "./message-preview.tsx";
import { keysetPage, Pager } from "./paging.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";
import { channelLabel } from "./words.ts";

const PAGE_SIZE = 20;

export function outboxRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "GET", "/dashboard/outbox", async (c) => {
    const query = { after: c.req.query("after"), before: c.req.query("before") };
    const paged = await keysetPage(
      query,
      PAGE_SIZE,
      "createdAt",
      "desc",
      (m: { createdAt: Date; id: string }) => ({ at: m.createdAt, id: m.id }),
      ({ where, direction, take }) =>
        deps.prisma.outboxEntry.findMany({ where, orderBy: [{ createdAt: direction }, { id: direction }], take }),
    );
    const rows = paged.rows;
    return renderPage(
      c,
      "Outbox",
      <>
        <PageStyle nonce={c.var.cspNonce} />
        <h1>Outbox</h1>
        <p class="muted">Messages held locally because no email or SMS provider is configured.</p>
        {rows.length === 0 ? <p class="muted">The outbox is empty.</p> : null}
        {rows.map((m) => (
          <section class="card outbox-entry">
            <div class="when">
              {fmt(m.createdAt)} · {channelLabel(m.channel)}
            </div>
            <MessagePreview message={m} />
          </section>
        ))}
        <Pager path="/dashboard/outbox" query={query} paged={paged} />
      </>,
    );
  });
}
