import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addUser, type Browser, startDashboard } from "./harness.ts";
import { HOSTILE, seedRecovery, signedIn } from "./recovery-seed.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
let viewer: Browser;
let editor: Browser;
let hostile: Awaited<ReturnType<typeof seedRecovery>>;
let pending: Awaited<ReturnType<typeof seedRecovery>>;
let reactive: Awaited<ReturnType<typeof seedRecovery>>;

beforeAll(async () => {
  h = await startDashboard();
  viewer = (await signedIn(h.runtime, await addUser(h.runtime, "viewer"), h.now())).browser;
  editor = (await signedIn(h.runtime, await addUser(h.runtime, "cx_editor"), h.now())).browser;
  hostile = await seedRecovery(h.runtime, { name: HOSTILE, detectedAt: new Date("2026-01-03T09:00:00Z") });
  pending = await seedRecovery(h.runtime, { name: "Grace Hopper", pending: true });
  reactive = await seedRecovery(h.runtime, {
    name: "Ada Lovelace",
    kind: "flight_delayed",
    complainedFirst: true,
    detectedAt: new Date("2026-01-07T09:00:00Z"),
  });
});
afterAll(() => h.stop());

const page = async (b: Browser, path: string) => {
  const r = await b.request("GET", path);
  return { status: r.status, html: await r.text() };
};
const rowIds = (html: string) => [...html.matchAll(/href="\/dashboard\/recoveries\/(dis_[^"]+)"/g)].map((m) => m[1]);

describe("GET /dashboard/recoveries", () => {
  test("lists every recovery, newest first, each linking to its detail", async () => {
    const { status, html } = await page(viewer, "/dashboard/recoveries");
    expect(status).toBe(200);
    expect(rowIds(html)).toEqual([reactive.disruptionId, pending.disruptionId, hostile.disruptionId]);
  });

  test("filters by kind, customer name or id, proactive, needs approval and date range", async () => {
    const ids = async (query: string) => rowIds((await page(viewer, `/dashboard/recoveries?${query}`)).html);
    expect(await ids("kind=flight_delayed")).toEqual([reactive.disruptionId]);
    expect(await ids("customer=grace")).toEqual([pending.disruptionId]);
    expect(await ids(`customer=${encodeURIComponent(hostile.customerId)}`)).toEqual([hostile.disruptionId]);
    expect(await ids("proactive=no")).toEqual([reactive.disruptionId]);
    expect(await ids("proactive=yes")).toEqual([pending.disruptionId, hostile.disruptionId]);
    expect(await ids("approval=pending")).toEqual([pending.disruptionId]);
    expect(await ids("status=awaiting_approval")).toEqual([pending.disruptionId]);
    expect(await ids("from=2026-01-04&to=2026-01-06")).toEqual([pending.disruptionId]);
    expect(await ids("from=2026-01-04&page=-3")).toEqual([reactive.disruptionId, pending.disruptionId]);
  });

  test("a value the list cannot read is a 400 that names each bad field", async () => {
    const { status, html } = await page(viewer, "/dashboard/recoveries?from=nonsense&outcome=maybe&kind=boat");
    expect(status).toBe(400);
    for (const field of ["<code>from</code>", "<code>outcome</code>", "<code>kind</code>"])
      expect(html).toContain(field);
    expect(html).toContain('href="/dashboard/recoveries"');
    const json = await viewer.request("GET", "/dashboard/recoveries?to=2026-02-30", {
      headers: { accept: "application/json" },
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { details: Array<{ field: string }> } }).error.details).toEqual([
      expect.objectContaining({ field: "to" }),
    ]);
  });

  test("the hostile name is text in the list", async () => {
    const { html } = await page(viewer, "/dashboard/recoveries");
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});

describe("GET /dashboard/recoveries/:id", () => {
  test("tells the story: signal, detection, gesture and why, messages as sent, delivery errors", async () => {
    const { status, html } = await page(viewer, `/dashboard/recoveries/${hostile.disruptionId}`);
    expect(status).toBe(200);
    for (const needle of [
      "What happened",
      "4 days later than promised (an important order)",
      "A complimentary gift",
      "120.00 EUR",
      "above the auto-approve limit of 50",
      "Detected: Shipment delay detected",
      "via Resend",
      "Delivery error: 21610: unsubscribed recipient",
      'class="bubble"',
    ])
      expect(html).toContain(needle);
  });

  test("a hostile name is text on the page and in the sandboxed email preview", async () => {
    const { html } = await page(viewer, `/dashboard/recoveries/${hostile.disruptionId}`);
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain("<script>parent");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const iframes = [...html.matchAll(/<iframe[^>]*>/g)].map((m) => m[0]);
    expect(iframes).toHaveLength(1);
    // No scripts, forms or navigation in the frame; same origin only so the page can read its height.
    expect(iframes[0]).toContain('sandbox="allow-same-origin"');
    // The email's HTML sits escaped inside srcdoc: its markup cannot close the attribute.
    expect(iframes[0]).toMatch(/srcdoc="&lt;p&gt;Dear &amp;lt;img src=x onerror=alert\(1\)&gt;, sorry\.&lt;\/p&gt;/);
    expect(iframes[0]).toContain("&lt;script&gt;parent.__pwned = 1&lt;/script&gt;");
  });

  test("the pending approval shows on the detail page", async () => {
    const { html } = await page(viewer, `/dashboard/recoveries/${pending.disruptionId}`);
    expect(html).toContain("Waiting for a manager since");
    expect(html).not.toContain("Decide in the approval queue");
  });

  test("an unknown id is a 404 page", async () => {
    const { status, html } = await page(viewer, "/dashboard/recoveries/dis_nope");
    expect(status).toBe(404);
    expect(html).toContain("no recovery with that id");
  });

  test("anonymous deep links go to the sign-in page and come back", async () => {
    const r = await h.runtime.app.request(`/dashboard/recoveries/${hostile.disruptionId}`, {
      headers: { accept: "text/html" },
    });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe(
      `/dashboard/login?next=${encodeURIComponent(`/dashboard/recoveries/${hostile.disruptionId}`)}`,
    );
  });
});

describe("GET /dashboard/outbox", () => {
  test("shows held messages newest first, email sandboxed and SMS in a bubble", async () => {
    await h.runtime.prisma.outboxEntry.createMany({
      data: [
        {
          id: "ob_1",
          channel: "email",
          idempotencyKey: "ob:1",
          recipient: "a@example.com",
          subject: `Hi ${HOSTILE}`,
          html: `<b>${HOSTILE}</b>`,
          createdAt: new Date("2026-01-05T10:00:00Z"),
        },
        {
          id: "ob_2",
          channel: "sms",
          idempotencyKey: "ob:2",
          recipient: "+12125550100",
          body: `SMS for ${HOSTILE}`,
          createdAt: new Date("2026-01-05T11:00:00Z"),
        },
      ],
    });
    const { status, html } = await page(editor, "/dashboard/outbox");
    expect(status).toBe(200);
    // Newest first; the idempotency keys are for machines and are not shown.
    expect(html.indexOf("SMS for")).toBeLessThan(html.indexOf("a@example.com"));
    expect(html).not.toContain("ob:1");
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain(`<div class="bubble">SMS for &lt;img src=x onerror=alert(1)&gt;</div>`);
    expect(html).toMatch(/<iframe class="email" sandbox="allow-same-origin" [^>]*srcdoc="&lt;b&gt;&lt;img src=x/);
  });

  test("viewers do not see the outbox", async () => {
    expect((await page(viewer, "/dashboard/outbox")).status).toBe(403);
  });
});
