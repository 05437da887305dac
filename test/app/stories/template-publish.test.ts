import { afterAll, beforeAll, expect, test } from "vitest";
import { addUser, Browser, PASSWORD } from "../dashboard/harness.ts";
import { tableCounts } from "../replay/table-counts.ts";
import { startWorld, type World } from "./world.ts";

/**
 * A CX editor changes a template in the studio, replays it, publishes it, and the next recovery
 * sends it; rolling back brings the old text back. Through the dashboard over HTTP, on whichever
 * runtime the test project chose (Node in-process, or the worker under `wrangler dev` on D1), and
 * checked by what the next shipment delay actually sends.
 */
const EDITOR = "/dashboard/templates/shipment_delay/sms/en";
const NEW_SMS =
  "Hi {{ customer.firstName }}, order {{ shipment.orderId }} is late, please wait. New delivery: {{ shipment.newEta | datetime }}. Track: {{ shipment.trackingUrl }} {{ optOutText }}";

let w: World;
let editor: Browser;
let csrf: string;

beforeAll(async () => {
  // 15:00 UTC is 10:00 in New York: inside the SMS window.
  w = await startWorld("2026-01-05T15:00:00Z");
  const user = await addUser(w.runtime, "cx_editor", "Cleo Editor");
  editor = new Browser(w.runtime);
  expect((await editor.login(user.email, PASSWORD)).status).toBe(303);
  csrf = await editor.csrfToken();
  expect(csrf).not.toBe("");
});
afterAll(() => w.stop());

const post = (path: string, form: Record<string, string>) =>
  editor.request("POST", path, { form: { _csrf: csrf, ...form } });
const decode = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

let n = 0;
/** A shipment delay for a standard customer in New York; returns the SMS they received. */
async function shipmentDelay() {
  n += 1;
  const customerId = `cust-studio-${n}`;
  const phone = `+1212555020${n}`;
  const put = await w.request("PUT", `/api/customers/${customerId}`, {
    name: "Grace Hopper",
    email: `studio${n}@example.com`,
    phone,
    locale: "en-US",
    timeZone: "America/New_York",
    tier: "standard",
    preferredChannel: "both",
    consent: { email: true, sms: true },
  });
  expect(put.status).toBe(200);
  const orderId = `STU-${n}00`;
  const sent = await w.request("POST", "/api/events", {
    id: `carrier-${orderId}-eta-1`,
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T14:58:00Z",
    data: {
      orderId,
      customerId,
      promisedBy: "2026-01-06T18:00:00Z",
      newEta: "2026-01-10T16:00:00Z",
      carrier: "ParcelCo",
      trackingUrl: `https://track.example.com/${orderId}`,
      items: [{ sku: "TBL-1", name: "Linen tablecloth" }],
    },
  });
  expect(sent.status).toBe(202);
  await w.settle();
  const sms = w.twilio.deliveries.filter((d) => d.to === phone);
  return { orderId, sms };
}

test("a CX editor changes the shipment-delay SMS, sees the warning and segment count, replays it, publishes, and the next shipment delay uses it; rollback restores the old text", async () => {
  const first = await shipmentDelay();
  expect(first.sms).toHaveLength(1);
  const oldText = first.sms[0]?.body ?? "";
  expect(oldText).not.toContain("please wait");

  const saved = await post(`${EDITOR}/save`, { body: NEW_SMS });
  expect(saved.status).toBe(200);
  const page = decode(await saved.text());
  expect(page).toContain('"please wait" is generic');
  expect(page).toMatch(/Saved as draft version (\d+)/);
  expect(page).toMatch(/\d+ segments?</);
  const version = Number(/Saved as draft version (\d+)/.exec(page)?.[1]);
  expect(version).toBe(2);
  expect(page).toContain("published version: 2 segments (-1)");

  // Saved, not published: recovery still sends the old text.
  const draft = await w.prisma.templateVersion.findFirstOrThrow({
    where: { kind: "shipment_delay", channel: "sms", locale: "en", version },
  });
  expect(draft).toMatchObject({ status: "draft", body: NEW_SMS });

  // Publishing needs the replay seen first.
  expect(page).toContain(`href="${EDITOR}/replay/${version}"`);
  const unseen = await post(`${EDITOR}/publish/${version}`, {});
  expect(unseen.status).toBe(400);
  expect(decode(await unseen.text())).toContain(`version ${version} has not been replayed`);
  const counts = await tableCounts(w.prisma);
  const deliveries = w.resend.deliveries.length + w.twilio.deliveries.length;
  const replay = await editor.request("GET", `${EDITOR}/replay/${version}`);
  // The replay rendered and compared: nothing written, nothing sent.
  expect(await tableCounts(w.prisma)).toEqual(counts);
  expect(w.resend.deliveries.length + w.twilio.deliveries.length).toBe(deliveries);
  expect(replay.status).toBe(200);
  const replayed = decode(await replay.text());
  // The one shipment delay so far (an en-US customer) would have read the new text: its diff shows both.
  expect(replayed).toMatch(/data-figure="changed"><span class="muted">[^<]*<\/span><p class="big">1</);
  expect(replayed).toContain(`- ${oldText.split("\n")[0]}`);
  expect(replayed).toMatch(/\+ Hi Grace, order STU-100 is late, please wait\./);
  const token = /name="replay" value="([0-9a-f]{64})"/.exec(replayed)?.[1] ?? "";
  const published = await post(`${EDITOR}/publish/${version}`, { replay: token });
  expect(published.status).toBe(303);
  expect(published.headers.get("location")).toBe(`${EDITOR}?published=${version}`);
  const states = await w.prisma.templateVersion.findMany({
    where: { kind: "shipment_delay", channel: "sms", locale: "en" },
    orderBy: { version: "asc" },
  });
  expect(states.map((s) => [s.version, s.status])).toEqual([
    [1, "archived"],
    [2, "published"],
  ]);
  expect(
    await w.prisma.auditLog.findFirst({ where: { action: "template.publish", target: "shipment_delay.sms.en" } }),
  ).toMatchObject({ detail: JSON.stringify({ version: 2, previous: 1 }) });

  const second = await shipmentDelay();
  expect(second.sms).toHaveLength(1);
  expect(second.sms[0]?.body).toContain(`order ${second.orderId} is late, please wait.`);

  // History with a diff, then roll back to version 1 (published again as version 3).
  const history = decode(await (await editor.request("GET", `${EDITOR}/versions`)).text());
  expect(history).toContain("Changes from version 1");
  expect(history).toContain(`<span class="add">+ ${NEW_SMS}</span>`);
  const rolledBack = await post(`${EDITOR}/rollback/1`, {});
  expect(rolledBack.status).toBe(303);
  const current = await w.prisma.templateVersion.findFirstOrThrow({
    where: { kind: "shipment_delay", channel: "sms", locale: "en", status: "published" },
  });
  expect(current.version).toBe(3);
  expect(current.body).toBe(states[0]?.body);
  expect(await w.prisma.auditLog.findFirst({ where: { action: "template.rollback" } })).toMatchObject({
    detail: JSON.stringify({ from: 1, version: 3, previous: 2 }),
  });

  const third = await shipmentDelay();
  expect(third.sms[0]?.body).not.toContain("please wait");
  const noCode = (t: string) => t.replace(/code [\w-]+/, "code …");
  expect(noCode(third.sms[0]?.body ?? "")).toBe(noCode(oldText.replaceAll(first.orderId, third.orderId)));
});
