import { afterAll, beforeAll, expect, test } from "vitest";
import { REPLAY_CAP, TEMPLATE_REPLAY_CAP } from "../../../src/replay/load.ts";
import { startNodeWorld as startWorld, type NodeWorld as World } from "../stories/world.ts";

/**
 * 10,000 disruptions in the last 30 days (a busy month): both replays stay well under a few
 * seconds because they read in a few batched queries and cap what they replay — and say so.
 */
const N = 10_000;
const DAY = 86_400_000;
let w: World;

beforeAll(async () => {
  w = await startWorld("2026-01-20T10:00:00Z");
  const now = w.clock.now();
  const customers = Array.from({ length: 500 }, (_, i) => ({
    id: `cust-scale-${i}`,
    name: `Scale Customer ${i}`,
    email: `scale${i}@example.com`,
    phone: "+447911123456",
    locale: i % 5 === 0 ? "fr-FR" : "en-GB",
    timeZone: "Europe/London",
    tier: i % 3 === 0 ? "valued" : "standard",
  }));
  await w.prisma.customer.createMany({ data: customers });
  const rows = Array.from({ length: N }, (_, i) => {
    const at = new Date(now - (i % 30) * DAY - (i % 1000) * 1000);
    const promisedBy = new Date(at.getTime() + DAY).toISOString();
    const newEta = new Date(at.getTime() + 3 * DAY).toISOString();
    return {
      id: `dis_scale_${i}`,
      customerId: `cust-scale-${i % 500}`,
      kind: "shipment_delay",
      subjectKey: `scale:${i}`,
      severity: i % 2 ? "high" : "low",
      status: "resolved",
      reason: "2 days later than promised",
      facts: JSON.stringify({ orderId: `S-${i}`, promisedBy, newEta, important: i % 2 === 1 }),
      signalAt: at,
      detectedAt: at,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await w.prisma.disruption.createMany({ data: rows.slice(i, i + 1000) });
}, 120_000);
afterAll(() => w.stop());

test("at 10,000 disruptions in 30 days, a policy replay and a template replay each answer in under 3 s, saying they sampled", async () => {
  let t = performance.now();
  const policy = await w.request("POST", "/api/replay/policies", {
    policies: [{ id: "shipment-delay-high-valued", approvalLimit: 200 }],
  });
  const policyMs = performance.now() - t;
  expect(policy.status).toBe(200);
  expect(policy.body).toMatchObject({ disruptions: REPLAY_CAP, window: { capped: true, total: N } });

  const draft = await w.prisma.templateVersion.findFirstOrThrow({
    where: { kind: "shipment_delay", channel: "sms", locale: "en", status: "published" },
  });
  await w.prisma.templateVersion.create({
    data: {
      ...draft,
      id: "tpl_scale_draft",
      version: draft.version + 1,
      status: "draft",
      publishedAt: null,
      body: `${draft.body ?? ""} `,
    },
  });
  t = performance.now();
  const template = await w.request("GET", `/api/replay/templates/shipment_delay/sms/en/${draft.version + 1}`);
  const templateMs = performance.now() - t;
  expect(template.status).toBe(200);
  expect(template.body).toMatchObject({ messages: TEMPLATE_REPLAY_CAP, failures: [], window: { capped: true } });
  console.log(`replay at ${N} disruptions: policy ${Math.round(policyMs)} ms, template ${Math.round(templateMs)} ms`);
  expect(policyMs).toBeLessThan(3000);
  expect(templateMs).toBeLessThan(3000);
}, 60_000);
