import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EDITOR_SCRIPT_PATH } from "../../../src/dashboard/editor/asset.ts";
import { EDITOR_BUNDLE } from "../../../src/dashboard/editor/bundle.generated.ts";
import { lineDiff } from "../../../src/templates/studio.ts";
import { startNodeWorld as startWorld, type NodeWorld as World } from "../stories/world.ts";
import { addUser, Browser, mintSession, ORIGIN, PASSWORD } from "./harness.ts";

/**
 * The template studio over HTTP, in-process on Node, in a world with the real engine and fake
 * providers. Save, replay, publish and roll back — checked by what the next shipment delay sends —
 * are a story (test/app/stories/template-publish.test.ts) that runs on Node and on Workers.
 */
const EDITOR = "/dashboard/templates/shipment_delay/sms/en";
const NEW_SMS =
  "Hi {{ customer.firstName }}, order {{ shipment.orderId }} is late, please wait. New delivery: {{ shipment.newEta | datetime }}. Track: {{ shipment.trackingUrl }} {{ optOutText }}";
const NEW_SMS_LONG = `${NEW_SMS.replace(" {{ optOutText }}", "")} We are very sorry for the trouble this causes, and we are watching the parcel closely until it reaches you at the address on your order. {{ optOutText }}`;

let w: World;
let editor: Browser;
let csrf: string;
const now = () => new Date(w.clock.now());

beforeAll(async () => {
  // 15:00 UTC is 10:00 in New York: inside the SMS window.
  w = await startWorld("2026-01-05T15:00:00Z");
  const user = await addUser(w.runtime, "cx_editor", "Cleo Editor");
  editor = new Browser(w.runtime);
  expect((await editor.login(user.email, PASSWORD)).status).toBe(303);
  csrf = await editor.csrfToken();
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

/** A shipment delay for a standard customer in New York (a real past disruption to preview with). */
async function shipmentDelay() {
  const put = await w.request("PUT", "/api/customers/cust-studio-1", {
    name: "Grace Hopper",
    email: "studio1@example.com",
    phone: "+12125550201",
    locale: "en-US",
    timeZone: "America/New_York",
    tier: "standard",
    preferredChannel: "both",
    consent: { email: true, sms: true },
  });
  expect(put.status).toBe(200);
  const sent = await w.request("POST", "/api/events", {
    id: "carrier-STU-100-eta-1",
    type: "shipment.eta_updated",
    occurredAt: "2026-01-05T14:58:00Z",
    data: {
      orderId: "STU-100",
      customerId: "cust-studio-1",
      promisedBy: "2026-01-06T18:00:00Z",
      newEta: "2026-01-10T16:00:00Z",
      carrier: "ParcelCo",
      trackingUrl: "https://track.example.com/STU-100",
    },
  });
  expect(sent.status).toBe(202);
  await w.settle();
}

describe("the template studio", () => {
  test("the list shows every template with its published version, and links to the editor", async () => {
    const res = await editor.request("GET", "/dashboard/templates");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-template="shipment_delay.sms.en"');
    expect(html).toContain(`href="${EDITOR}"`);
    expect(html).toContain("version 1");
  });

  test("the editor opens with the published text and a preview from the sample data, with encoding and segments", async () => {
    const res = await editor.request("GET", EDITOR);
    expect(res.status).toBe(200);
    const html = decode(await res.text());
    expect(html).toContain("{{ customer.firstName }}");
    expect(html).toContain("Published: version 1");
    expect(html).toMatch(/GSM-7<\/span>/);
    expect(html).toMatch(/\d+ segments?</);
  });

  test("the email editor previews in a sandboxed iframe, escaped into srcdoc", async () => {
    const res = await editor.request("GET", "/dashboard/templates/shipment_delay/email/en");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<iframe class="email-frame" title="Email preview" sandbox="" srcdoc="&lt;/);
    expect(html).toContain('name="subject"');
  });

  test("preview re-renders the submitted text without saving", async () => {
    const before = await w.prisma.templateVersion.count();
    const res = await post(`${EDITOR}/preview`, { body: NEW_SMS_LONG });
    expect(res.status).toBe(200);
    const html = decode(await res.text());
    expect(html).toContain("Preview only: nothing is saved.");
    expect(html).toMatch(/2 segments</);
    expect(html).toMatch(/published version: \d segments?/);
    expect(html).toContain('"please wait" is generic');
    expect(await w.prisma.templateVersion.count()).toBe(before);
  });

  test("an unknown variable is refused, named, with a suggestion; nothing is saved", async () => {
    const before = await w.prisma.templateVersion.count();
    const res = await post(`${EDITOR}/save`, { body: "Hi {{ customer.frist_name }}, sorry. {{ optOutText }}" });
    expect(res.status).toBe(400);
    const html = decode(await res.text());
    expect(html).toContain('unknown variable "customer.frist_name"');
    expect(html).toMatch(/did you mean[^<]*customer\.firstName/i);
    expect(html).toContain("Not saved");
    expect(await w.prisma.templateVersion.count()).toBe(before);
  });

  test("<script> in an email is refused, and shown escaped", async () => {
    const res = await post("/dashboard/templates/shipment_delay/email/en/save", {
      subject: "Your order {{ shipment.orderId }}",
      html: "<p>Hi {{ customer.firstName }}</p><script>alert(1)</script>",
      text: "",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("html_script");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  test("the editor shows the kind in email and SMS, in every language, side by side; the edited one with the editor's text", async () => {
    const res = await post(`${EDITOR}/preview`, {
      body: "Hi {{ customer.firstName }}, a side-by-side test. {{ optOutText }}",
    });
    const html = decode(await res.text());
    const cells = [...html.matchAll(/<figure[^>]*data-channel="(email|sms)" data-locale="(\w+)"/g)].map(
      (m) => `${m[1]}.${m[2]}`,
    );
    expect(cells).toEqual(["email.de", "email.en", "email.fr", "sms.de", "sms.en", "sms.fr"]);
    const cell = (channel: string, locale: string) => {
      const start = html.indexOf(`data-channel="${channel}" data-locale="${locale}"`);
      return html.slice(start, html.indexOf("</figure>", start));
    };
    expect(cell("sms", "en")).toContain("a side-by-side test.");
    expect(cell("sms", "en")).toContain('aria-current="true"');
    // The others as recovery would send them, each in its own language's sample data.
    expect(cell("sms", "fr")).toContain("Bonjour Camille, désolés : votre commande A-1042");
    expect(cell("sms", "fr")).toContain("published version 1");
    expect(cell("sms", "de")).toMatch(/Hallo|Guten Tag/);
    expect(cell("email", "fr")).toContain("srcdoc=");
    expect(cell("email", "en")).toContain('href="/dashboard/templates/shipment_delay/email/en"');
  });

  test("preview with a real past disruption uses the recovery's variables", async () => {
    await shipmentDelay();
    const d = await w.prisma.disruption.findFirstOrThrow({ where: { kind: "shipment_delay" } });
    const res = await post(`${EDITOR}/preview`, { body: NEW_SMS, disruption: d.id });
    const html = decode(await res.text());
    expect(html).toContain(`the data of disruption ${d.id}`);
    const facts = JSON.parse(d.facts) as { orderId: string };
    expect(html).toContain(`order ${facts.orderId} is late`);
  });

  test("a viewer gets 403 on the editor and on saving; a missing CSRF token is refused", async () => {
    const viewer = await addUser(w.runtime, "viewer");
    const session = await mintSession(w.runtime, viewer.id, now());
    const headers = { cookie: session.cookie, accept: "text/html" };
    expect((await w.runtime.app.request(EDITOR, { headers })).status).toBe(403);
    const save = await w.runtime.app.request(`${EDITOR}/save`, {
      method: "POST",
      headers: { ...headers, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: session.csrf, body: NEW_SMS }).toString(),
    });
    expect(save.status).toBe(403);
    // the editor without the token
    const noToken = await editor.request("POST", `${EDITOR}/save`, { form: { body: NEW_SMS } });
    expect(noToken.status).toBe(403);
    // the viewer still sees the list, without edit links
    const list = await (await w.runtime.app.request("/dashboard/templates", { headers })).text();
    expect(list).not.toContain(`href="${EDITOR}"`);
  });

  test("unknown kinds and versions are 404", async () => {
    expect((await editor.request("GET", "/dashboard/templates/nope/sms/en")).status).toBe(404);
    expect((await post(`${EDITOR}/publish/999`, {})).status).toBe(404);
  });
});

test("lineDiff marks added and removed lines around the common ones", () => {
  expect(lineDiff("a\nb\nc", "a\nx\nc\nd")).toEqual([
    { op: "same", text: "a" },
    { op: "del", text: "b" },
    { op: "add", text: "x" },
    { op: "same", text: "c" },
    { op: "add", text: "d" },
  ]);
});

describe("the editor's script (CodeMirror) and its live panes", () => {
  test("the page loads one script from our origin, at its content-hashed path, cached for a year; the textareas stay in the form", async () => {
    const html = await (await editor.request("GET", EDITOR)).text();
    expect(html).toContain(`<script src="${EDITOR_SCRIPT_PATH}" defer="" nonce=`);
    expect(html).toMatch(/<textarea id="f-body" name="body"[^>]*data-liquid=""/);
    const completions = /data-completions="([^"]+)"/.exec(html)?.[1] ?? "";
    expect(JSON.parse(decode(completions)).variables).toContainEqual(
      expect.objectContaining({ path: "customer.firstName", type: "text" }),
    );

    const script = await editor.request("GET", EDITOR_SCRIPT_PATH);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(await script.text()).toBe(EDITOR_BUNDLE.js);
    // Another hash (an older build) is not served; pages stay uncached.
    expect((await editor.request("GET", "/dashboard/assets/editor.0123456789abcdef.js")).status).toBe(404);
    expect((await editor.request("GET", EDITOR)).headers.get("cache-control")).toBe("no-store");
    // Only a signed-in editor gets it.
    expect((await new Browser(w.runtime).request("GET", EDITOR_SCRIPT_PATH)).status).toBe(302);
  });

  test("asked by the editor's script, the preview answers with only the panes (no page styles, whose nonce would not match)", async () => {
    const res = await editor.request("POST", `${EDITOR}/preview`, {
      form: { _csrf: csrf, body: "Hello {{ customer.firstName }}. {{ optOutText }}" },
      headers: { "x-studio-panes": "1" },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-live="preview"');
    expect(html).toContain('data-live="siblings"');
    expect(html).toContain("Hello Samira.");
    expect(html).not.toContain("<style");
    expect(html).not.toContain("<form");
  });
});
