/** The local outbox: messages held when no provider is configured, as the customer would see them. */
import { renderPage } from "./layout.tsx";
import { fmt, MessagePreview, PageStyle } from "./message-preview.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

const PAGE_SIZE = 20;

export function outboxRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "GET", "/dashboard/outbox", async (c) => {
    const n = Math.min(10_000, Math.max(1, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
    const rows = await deps.prisma.outboxEntry.findMany({
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: PAGE_SIZE + 1,
      skip: (n - 1) * PAGE_SIZE,
    });
    return renderPage(
      c,
      "Outbox",
      <>
        <PageStyle nonce={c.var.cspNonce} />
        <h1>Outbox</h1>
        <p class="muted">Messages held locally because no email or SMS provider is configured.</p>
        {rows.length === 0 ? <p class="muted">The outbox is empty.</p> : null}
        {rows.slice(0, PAGE_SIZE).map((m) => (
          <section class="card outbox-entry">
            <div class="when">
              {fmt(m.createdAt)} · {m.channel} · {m.idempotencyKey}
            </div>
            <MessagePreview message={m} />
          </section>
        ))}
        <nav class="pager" aria-label="Pages">
          {n > 1 ? <a href={`/dashboard/outbox?page=${n - 1}`}>← Newer</a> : null}
          <span class="muted">Page {n}</span>
          {rows.length > PAGE_SIZE ? <a href={`/dashboard/outbox?page=${n + 1}`}>Older →</a> : null}
        </nav>
      </>,
    );
  });
}
