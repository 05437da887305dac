import { describe, expect, test } from "vitest";
import { replayTemplate } from "../../../src/replay/template.ts";
import { replaySeen, replayToken } from "../../../src/replay/token.ts";
import { sampleData, type TemplateKey } from "../../../src/templates/studio.ts";

const key: TemplateKey = { kind: "shipment_delay", channel: "sms", locale: "en" };
const sample = sampleData(key);
const customer = (name: string, i: number) => ({
  disruptionId: `d${i}`,
  ...sample,
  variables: { ...sample.variables, customer: { ...(sample.variables.customer as object), firstName: name } },
});
const BEFORE = { body: "Hi {{ customer.firstName }}, sorry: your order is late. {{ optOutText }}" };

describe("template replay", () => {
  test("a changed apology changes every message, and the sample's diff is the real rendered text", () => {
    const after = { body: "Hi {{ customer.firstName }}, we are so sorry: your order is late. {{ optOutText }}" };
    const r = replayTemplate(key, BEFORE, after, [
      customer("Ada", 1),
      customer("Bo", 2),
      customer("Cy", 3),
      customer("Di", 4),
    ]);
    expect(r.messages).toBe(4);
    expect(r.changed).toBe(4);
    expect(r.samples).toHaveLength(3);
    const diff = r.samples[0]?.diff ?? [];
    expect(diff.find((l) => l.op === "del")?.text).toMatch(/^Hi Ada, sorry: your order is late\. /);
    expect(diff.find((l) => l.op === "add")?.text).toMatch(/^Hi Ada, we are so sorry: your order is late\. /);
  });

  test("an unchanged rendering counts as unchanged; SMS over one segment and other-language wording are counted", () => {
    const long = {
      body: `${"Hi {{ customer.firstName }}, we are sorry. ".repeat(6)}Bitte warten Sie, vielen Dank. {{ optOutText }}`,
    };
    const same = replayTemplate(key, BEFORE, BEFORE, [customer("Ada", 1)]);
    expect(same.changed).toBe(0);
    const r = replayTemplate(key, BEFORE, long, [customer("Ada", 1), customer("Bo", 2)]);
    expect(r.smsOverBudget).toEqual({ before: 0, after: 2 });
    expect(r.languageWarningCount).toBe(2);
    expect(r.languageWarnings[0]?.warning).toContain("German");
  });

  test("a draft that cannot render for a past disruption is reported, not thrown", () => {
    const r = replayTemplate(key, BEFORE, { body: "{{ customer.firstName | nope }}" }, [customer("Ada", 1)]);
    expect(r.failures).toHaveLength(1);
    expect(r.changed).toBe(0);
  });
});

test("a replay token is for one draft and one session", () => {
  const t = replayToken("session-a", "policy:p", { approvalLimit: 100, gestureId: "gift" });
  expect(replaySeen("session-a", "policy:p", { gestureId: "gift", approvalLimit: 100 }, t)).toBe(true);
  expect(replaySeen("session-a", "policy:p", { gestureId: "gift", approvalLimit: 99 }, t)).toBe(false);
  expect(replaySeen("session-b", "policy:p", { gestureId: "gift", approvalLimit: 100 }, t)).toBe(false);
  expect(replaySeen("session-a", "policy:q", { gestureId: "gift", approvalLimit: 100 }, t)).toBe(false);
  expect(replaySeen("session-a", "policy:p", { gestureId: "gift", approvalLimit: 100 }, undefined)).toBe(false);
});
