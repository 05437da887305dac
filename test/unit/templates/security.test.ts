import { LiquidError } from "liquidjs";
import { describe, expect, test } from "vitest";
import { TemplateError } from "../../../src/templates/errors.ts";
import { renderMessage } from "../../../src/templates/render.ts";
import { sampleVariables } from "../../../src/templates/variables.ts";
import { email, sms } from "./helpers.ts";

const hostile = "<img src=x onerror=alert(1)>";
const customer = { name: hostile, firstName: hostile, company: null };

/** The TemplateError a render throws, checking it is ours and never a raw liquidjs error. */
function failure(render: () => unknown): TemplateError {
  try {
    render();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    expect(err).not.toBeInstanceOf(LiquidError);
    return err as TemplateError;
  }
  throw new Error("expected the render to fail");
}

describe("customer data in HTML is escaped (R13)", () => {
  test("a name like <img onerror> renders as text in the email HTML", () => {
    const out = email({ html: "<p>Hi {{ customer.firstName }}, {{ customer.name | escape }}</p>" }, undefined, {
      customer,
    });
    expect(out.html).toBe("<p>Hi &lt;img src=x onerror=alert(1)&gt;, &lt;img src=x onerror=alert(1)&gt;</p>");
    expect(out.html).not.toContain("<img");
  });

  test("an explicit | escape does not double-escape", () => {
    const out = email({ html: "<p>{{ customer.name | escape }}</p>" }, undefined, {
      customer: { ...customer, name: "Tom & Jerry" },
    });
    expect(out.html).toBe("<p>Tom &amp; Jerry</p>");
  });

  test("the default templates escape a hostile name too", async () => {
    const { defaultTemplateSet } = await import("../../../src/templates/defaults.ts");
    const out = email(defaultTemplateSet("shipment_delay", "en").email, "shipment_delay", { customer });
    expect(out.html).toContain("Hi &lt;img src=x onerror=alert(1)&gt;,");
    expect(out.html).not.toContain("<img");
  });

  test("a line break in data cannot add a header through the subject", () => {
    const out = email({ subject: "Sorry, {{ customer.firstName }}" }, undefined, {
      customer: { name: "Sam", firstName: "Sam\r\nBcc: everyone@example.com", company: null },
    });
    expect(out.subject).toBe("Sorry, Sam Bcc: everyone@example.com");
  });

  test("bidi overrides and zero-width characters in data are dropped", () => {
    const out = sms("Hi {{ customer.firstName }}. {{ optOutText }}", "shipment_delay", {
      customer: { name: "Sam", firstName: "Sa\u202Em\u200B", company: null },
    });
    expect(out.body).toBe("Hi Sam. Reply STOP to opt out");
  });

  test("typographic characters in data do not switch an SMS to UCS-2", () => {
    const out = sms("{{ disruption.reason }} {{ optOutText }}", "shipment_delay", {
      disruption: { reason: "the carrier\u2019s hub \u2013 closed\u2026" },
    });
    expect(out.body).toBe("the carrier's hub - closed... Reply STOP to opt out");
    expect(out.encoding).toBe("GSM-7");
  });
});

describe("hostile templates (R13)", () => {
  test.each([
    "{{ customer.constructor }}",
    "{{ customer.__proto__ }}",
    "{{ customer.name.constructor.name }}",
    "{{ customer.hasOwnProperty }}",
    "{{ gesture.toString }}",
  ])("%s reads nothing from the prototype: an error naming the variable", (body) => {
    const e = failure(() => sms(body));
    expect(e.code).toBe("unknown_variable");
    expect(e.message).toMatch(/is not a variable of this template/);
  });

  test("prototype properties of the data itself stay invisible", () => {
    const sample = sampleVariables("shipment_delay");
    const inherited = Object.assign(Object.create({ secret: "s3cr3t" }), sample.customer);
    const e = failure(() =>
      renderMessage({
        channel: "sms",
        body: "{{ customer.secret }}",
        variables: { ...sample, customer: inherited },
        locale: "en-GB",
        timeZone: "Europe/London",
      }),
    );
    expect(e.details.variable).toBe("customer.secret");
  });

  test("a {% for %} over a huge range hits the memory limit at once", () => {
    const t0 = performance.now();
    const e = failure(() => sms("{% for i in (1..100000000) %}x{% endfor %}"));
    expect(e.code).toBe("render_memory_limit");
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test("nested {% for %} loops hit the time limit quickly", () => {
    const depth = 26; // 2^26 iterations over the two sample items
    const open = Array.from({ length: depth }, (_, i) => `{% for x${i} in shipment.items %}`).join("");
    const t0 = performance.now();
    const e = failure(() => sms(`${open}x${"{% endfor %}".repeat(depth)}`));
    expect(e.code).toBe("render_timeout");
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  test("a {% for %} over more items than the loop limit is refused before it starts", () => {
    const e = failure(() => sms("{% for i in (1..5000) %}x{% endfor %}"));
    expect(e.code).toBe("loop_too_long");
    expect(e.message).toContain("5000");
  });

  test("a huge {% assign %} hits the memory limit", () => {
    const e = failure(() => sms("{% assign big = (1..50000000) %}{{ big.size }}"));
    expect(e.code).toBe("render_memory_limit");
  });

  test("a {% capture %} that doubles itself hits the memory limit quickly", () => {
    const t0 = performance.now();
    const e = failure(() =>
      sms(
        "{% capture s %}xxxxxxxx{% endcapture %}{% for i in (1..60) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s.size }}",
      ),
    );
    expect(e.code).toBe("render_memory_limit");
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test.each([
    ["{% include 'x' %}", "include"],
    ["{% render 'secrets' %}", "render"],
    ["{% layout 'x' %}{% block a %}{% endblock %}", "layout"],
    ["{% raw %}{{ x }}{% endraw %}", "raw"],
    ["{% liquid echo customer.name %}", "liquid"],
  ])("%s is refused", (body, tag) => {
    const e = failure(() => sms(body));
    expect(e.code).toBe("disallowed_tag");
    expect(e.details.tag).toBe(tag);
    expect(e.message).toContain(tag);
  });

  test("| raw is refused, so nothing is output unescaped", () => {
    const e = failure(() => email({ html: "{{ customer.name | raw }}" }, undefined, { customer }));
    expect(e.code).toBe("disallowed_filter");
    expect(e.details.filter).toBe("raw");
  });

  test("a misspelled filter is an error naming it", () => {
    const e = failure(() => sms("{{ customer.name | upcse }}"));
    expect(e.code).toBe("unknown_filter");
    expect(e.message).toContain("upcse");
  });

  test("a template over the parse limit is refused", () => {
    const e = failure(() => sms("x".repeat(30_000)));
    expect(e.code).toBe("template_too_large");
  });

  test("variables are checked against the kind's schema", () => {
    const sample = sampleVariables("shipment_delay");
    const e = failure(() =>
      sms("{{ optOutText }}", "shipment_delay", {
        shipment: { ...sample.shipment, trackingUrl: "javascript:alert(1)" },
      }),
    );
    expect(e.code).toBe("invalid_variables");
    expect(e.message).toContain("shipment.trackingUrl");
  });

  test("an unknown time zone or locale is a clear error", () => {
    const v = sampleVariables("shipment_delay");
    expect(
      failure(() => renderMessage({ channel: "sms", body: "x", variables: v, locale: "en", timeZone: "Mars/Olympus" }))
        .code,
    ).toBe("invalid_time_zone");
    expect(
      failure(() => renderMessage({ channel: "sms", body: "x", variables: v, locale: "12", timeZone: "UTC" })).code,
    ).toBe("invalid_locale");
  });
});
