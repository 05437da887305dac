import { describe, expect, test } from "vitest";
import { defaultTemplateSet } from "../../../src/templates/defaults.ts";
import { type Issue, type ValidationResult, validateTemplate } from "../../../src/templates/validate.ts";

const en = defaultTemplateSet("shipment_delay", "en");
const smsOf = (body: string) => validateTemplate({ kind: "shipment_delay", channel: "sms", body });
const emailOf = (parts: { subject?: string; html?: string; text?: string }) =>
  validateTemplate({ kind: "shipment_delay", channel: "email", ...en.email, ...parts });

/** The one issue with this code, in errors or warnings as asked. */
function issue(r: ValidationResult, where: "errors" | "warnings", code: Issue["code"]): Issue {
  const found = r[where].filter((i) => i.code === code);
  expect(found, JSON.stringify(r, null, 2)).toHaveLength(1);
  return found[0] as Issue;
}

// an SMS that is otherwise clean: a time, a next step, the opt-out line
const OK_SMS =
  "Hi {{ customer.firstName }}, order {{ shipment.orderId }} now arrives {{ shipment.newEta | datetime: 'date' }}. Track: {{ shipment.trackingUrl }} {{ optOutText }}";

test("a clean template has no issues", () => {
  expect(smsOf(OK_SMS)).toEqual({ errors: [], warnings: [] });
});

describe("variables", () => {
  test("a misspelled variable is named, with the declared one it probably meant", () => {
    const i = issue(smsOf(`{{ customer.frstName }} ${OK_SMS}`), "errors", "unknown_variable");
    expect(i.message).toContain('"customer.frstName"');
    expect(i.message).toContain('Did you mean "customer.firstName"?');
    expect(i.line).toBe(1);
  });

  test("a misspelled root is named at the first unknown segment", () => {
    const i = issue(smsOf(`${OK_SMS}\n{{ custmer.name }}`), "errors", "unknown_variable");
    expect(i.message).toContain('unknown variable "custmer" (in "custmer.name") on line 2');
    expect(i.message).toContain('Did you mean "customer.name"?');
  });

  test("a variable of another kind is unknown here", () => {
    const i = issue(smsOf(`${OK_SMS} {{ flight.number }}`), "errors", "unknown_variable");
    expect(i.message).toContain('"flight"');
  });

  test("loop variables, forloop, assigned names and array helpers are fine", () => {
    const body = `{% assign n = shipment.items.size %}{% for item in shipment.items %}{{ item.name }}{% unless forloop.last %}, {% endunless %}{% endfor %} {{ n }} {{ shipment.items.first.quantity }} ${OK_SMS}`;
    expect(smsOf(body).errors).toEqual([]);
  });
});

describe("tags and filters", () => {
  test("a disallowed tag is named with its line", () => {
    const i = issue(smsOf(`${OK_SMS}\n{% include 'header' %}`), "errors", "disallowed_tag");
    expect(i.message).toContain("{% include %}");
    expect(i.message).toContain("cannot load other files");
    expect(i.line).toBe(2);
  });

  test("every disallowed tag and filter is reported at once", () => {
    const r = smsOf(
      `{% cycle 'a', 'b' %}{% tablerow x in shipment.items %}{% endtablerow %}{{ customer.name | append: "x" }} ${OK_SMS}`,
    );
    expect(r.errors.map((e) => e.code).sort()).toEqual(["disallowed_filter", "disallowed_tag", "disallowed_tag"]);
    expect(r.errors.map((e) => e.message).join(" ")).toMatch(/cycle.*tablerow.*append|append.*cycle/s);
  });

  test("a misspelled filter is named with a suggestion", () => {
    const i = issue(smsOf(`{{ customer.name | upcse }} ${OK_SMS}`), "errors", "unknown_filter");
    expect(i.message).toContain('"upcse"');
    expect(i.message).toContain('Did you mean "upcase"?');
  });

  test("a disallowed filter in an assign is found too", () => {
    const i = issue(smsOf(`{% assign x = customer.name | base64_encode %}${OK_SMS}`), "errors", "disallowed_filter");
    expect(i.message).toContain("base64_encode");
  });

  test("| raw (unescaped output) is an error", () => {
    const i = issue(emailOf({ html: `${en.email.html}<p>{{ customer.name | raw }}</p>` }), "errors", "raw_output");
    expect(i.message).toContain("| raw");
    expect(i.part).toBe("html");
  });

  test("{% raw %} is an error", () => {
    const i = issue(smsOf(`{% raw %}{{ x }}{% endraw %} ${OK_SMS}`), "errors", "disallowed_tag");
    expect(i.message).toContain("{% raw %}");
  });

  test("a syntax error names the line", () => {
    const i = issue(smsOf(`${OK_SMS}\n\n{% if customer.name %}`), "errors", "syntax_error");
    expect(i.message).toMatch(/not closed/);
    expect(i.line).toBe(3);
  });
});

describe("HTML safety", () => {
  const withHtml = (extra: string) => emailOf({ html: `${en.email.html}\n${extra}` });
  const lines = en.email.html.split("\n").length;

  test("<script> is an error with its line", () => {
    const i = issue(withHtml("<script>alert(1)</script>"), "errors", "html_script");
    expect(i.message).toContain("<script>");
    expect(i.line).toBe(lines + 1);
  });

  test("an on*= event handler is an error naming the attribute", () => {
    const i = issue(withHtml('<img src="x.png" onerror="alert(1)">'), "errors", "html_event_handler");
    expect(i.message).toContain("onerror=");
  });

  test("a javascript: URL is an error, even when entity-encoded", () => {
    expect(issue(withHtml('<a href="javascript:alert(1)">x</a>'), "errors", "html_javascript_url").message).toContain(
      "javascript:",
    );
    expect(issue(withHtml('<a href="java&#115;cript:alert(1)">x</a>'), "errors", "html_javascript_url")).toBeTruthy();
  });

  test("a {% if %} that splits <script> in the source is caught in the rendered sample", () => {
    const i = issue(withHtml("<scr{% if true %}{% endif %}ipt>x</script>"), "errors", "html_script");
    expect(i.message).toContain("rendered sample");
  });

  test("output as an unquoted attribute value is an error", () => {
    const i = issue(withHtml("<a href={{ shipment.trackingUrl }}>track</a>"), "errors", "unquoted_attribute");
    expect(i.message).toContain("href=");
  });
});

describe("size and time", () => {
  test("a template over 20 KB is refused", () => {
    const i = issue(smsOf(`${OK_SMS}${" ".repeat(21 * 1024)}`), "errors", "template_too_large");
    expect(i.message).toMatch(/\d+ bytes; the limit is 20480/);
  });

  test("a render over the time bound is an error", () => {
    const depth = 26;
    const open = Array.from({ length: depth }, (_, i) => `{% for x${i} in shipment.items %}`).join("");
    const t0 = performance.now();
    const i = issue(smsOf(`${open}x${"{% endfor %}".repeat(depth)} ${OK_SMS}`), "errors", "render_timeout");
    expect(i.message).toContain("time limit");
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  test("a runtime error with the sample data is reported", () => {
    const i = issue(smsOf(`{{ gesture.amount | money: "EURO" }} ${OK_SMS}`), "errors", "render_error");
    expect(i.message).toMatch(/currency/i);
  });
});

describe("SMS", () => {
  test("more than 3 segments is an error, more than 1 a warning", () => {
    const long = issue(smsOf(`${"Sorry. ".repeat(70)}${OK_SMS}`), "errors", "sms_too_long");
    expect(long.message).toMatch(/GSM-7 characters, 4 segments; the limit is 3/);
    const two = issue(smsOf(`${"Sorry. ".repeat(10)}${OK_SMS}`), "warnings", "sms_multi_segment");
    expect(two.message).toContain("2 segments");
  });

  test("an accidental UCS-2 character is named", () => {
    const i = issue(smsOf(OK_SMS.replace("Track:", "You\u2019ll track it:")), "warnings", "sms_ucs2_character");
    expect(i.message).toContain("\u2019 (U+2019 right single quotation mark");
    expect(i.message).toContain("UCS-2");
  });

  test("an SMS without the opt-out line is an error", () => {
    const i = issue(smsOf(OK_SMS.replace("{{ optOutText }}", "")), "errors", "sms_missing_opt_out");
    expect(i.message).toContain("{{ optOutText }}");
  });
});

describe("subject", () => {
  test("a line break in a subject is an error", () => {
    const i = issue(emailOf({ subject: "Your order\n{{ shipment.orderId }}" }), "errors", "subject_newline");
    expect(i.message).toContain("line break");
  });

  test("promotional wording in a subject is a warning naming the word", () => {
    const r = emailOf({
      subject: "{{ customer.firstName }}, a FREE gift and a coupon for order {{ shipment.orderId }}",
    });
    const words = r.warnings.filter((w) => w.code === "subject_promotional").map((w) => w.message);
    expect(words.join(" ")).toContain('"free"');
    expect(words.join(" ")).toContain('"coupon"');
  });
});

describe("gestures awaiting approval", () => {
  test("a gesture shown outside {% unless gesture.pendingApproval %} is a warning with the line", () => {
    const i = issue(smsOf(`${OK_SMS}\nYour code: {{ gesture.code }}`), "warnings", "gesture_unguarded");
    expect(i.message).toContain("gesture.code");
    expect(i.line).toBe(2);
  });

  test("guarded gestures pass, in either form", () => {
    for (const guard of [
      "{% unless gesture.pendingApproval %}{{ gesture.description }}{% endunless %}",
      "{% if gesture.pendingApproval %}soon{% else %}{{ gesture.description }}{% endif %}",
      "{% if gesture.kind != 'none' and gesture.pendingApproval == false %}{{ gesture.description }}{% endif %}",
    ]) {
      expect(smsOf(`${guard} ${OK_SMS}`).warnings).toEqual([]);
    }
  });

  test("the else branch of the guard is not guarded", () => {
    const body = `{% unless gesture.pendingApproval %}ok{% else %}{{ gesture.description }}{% endunless %} ${OK_SMS}`;
    issue(smsOf(body), "warnings", "gesture_unguarded");
  });

  test("a gesture leaked through an alias is caught by rendering it as pending", () => {
    const i = issue(smsOf(`{% assign g = gesture %}{{ g.description }} ${OK_SMS}`), "warnings", "gesture_unguarded");
    expect(i.message).toContain("pendingApproval is true");
  });
});

describe("language check", () => {
  test.each([
    ["Please wait while we look into it.", "please wait"],
    ["Someone will get back to you.", "someone will get back to you"],
    ["We apologise for any inconvenience.", "we apologise for any inconvenience"],
    ["We apologize for any inconvenience.", "we apologize for any inconvenience"],
    ["Just checking in on your order.", "just checking in"],
    ["We will fix it as soon as possible.", "as soon as possible"],
    ["Dear valued customer,", "valued customer"],
    ["Veuillez patienter.", "veuillez patienter"],
  ])("%s is a generic-phrase warning naming the phrase", (phrase, named) => {
    const i = issue(smsOf(`${phrase}\n${OK_SMS}`), "warnings", "generic_phrase");
    expect(i.message).toContain(`"${named}"`);
    expect(i.line).toBe(1);
  });

  test("a message with no specific time is a warning", () => {
    const i = issue(
      smsOf(
        "Hi {{ customer.firstName }}, order {{ shipment.orderId }} is late. Track: {{ shipment.trackingUrl }} {{ optOutText }}",
      ),
      "warnings",
      "no_specific_time",
    );
    expect(i.message).toContain("| datetime");
  });

  test("a message with no named contact and no next step is a warning", () => {
    const i = issue(
      smsOf(
        "Hi {{ customer.firstName }}, order {{ shipment.orderId }} now arrives {{ shipment.newEta | datetime }}. {{ optOutText }}",
      ),
      "warnings",
      "no_next_step",
    );
    expect(i.message).toContain("contact.name");
  });
});

test("an email needs a subject and HTML; a missing text part is only a warning", () => {
  const r = validateTemplate({ kind: "shipment_delay", channel: "email", subject: en.email.subject });
  expect(issue(r, "errors", "missing_part").part).toBe("html");
  expect(issue(r, "warnings", "missing_part").part).toBe("text");
});

test("the language check flags a French template that reads partly English, and names the words", () => {
  const body =
    'Bonjour {{ customer.firstName }}, votre commande {{ shipment.orderId }} arrive le {{ shipment.newEta | datetime: "estimate" }}. Please keep the parcel for your event. {{ contact.name }}. {{ optOutText }}';
  const r = validateTemplate({ kind: "shipment_delay", channel: "sms", locale: "fr", body });
  const w = r.warnings.filter((x) => x.code === "mixed_language");
  expect(w).toHaveLength(1);
  expect(w[0]?.message).toMatch(
    /looks partly English: "Please keep the parcel for your event" \(.*the.*\) in a French template/,
  );
  const clean = body.replace("Please keep the parcel for your event.", "Gardez le colis pour votre fête.");
  expect(
    validateTemplate({ kind: "shipment_delay", channel: "sms", locale: "fr", body: clean }).warnings.filter(
      (x) => x.code === "mixed_language",
    ),
  ).toEqual([]);
});
