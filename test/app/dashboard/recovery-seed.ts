/** Recoveries written straight to the database, for the dashboard's recovery and approval pages. */

import type { NodeRuntime } from "../../../src/node-runtime.ts";
import { Browser, mintSession } from "./harness.ts";

export const HOSTILE = `<img src=x onerror=alert(1)>`;

let n = 0;
export interface SeedOptions {
  name?: string;
  kind?: string;
  value?: number;
  pending?: boolean;
  complainedFirst?: boolean;
  detectedAt?: Date;
  status?: string;
}

/** A customer, a disruption with its timeline, a grant (pending approval when `pending`) and an email and SMS. */
export async function seedRecovery(runtime: NodeRuntime, opts: SeedOptions = {}) {
  const { prisma } = runtime;
  const i = ++n;
  const name = opts.name ?? `Customer ${i}`;
  const customerId = `cust-seed-${i}-${Date.now().toString(36)}`;
  const disruptionId = `dis_seed_${i}_${Date.now().toString(36)}`;
  const at = opts.detectedAt ?? new Date("2026-01-05T15:00:00Z");
  await prisma.customer.create({ data: { id: customerId, name, email: `c${i}@example.com`, tier: "valued" } });
  await prisma.disruption.create({
    data: {
      id: disruptionId,
      customerId,
      kind: opts.kind ?? "shipment_delay",
      subjectKey: `order:ORD-${i}`,
      severity: "high",
      status: opts.status ?? (opts.pending ? "awaiting_approval" : "open"),
      reason: "4 days later than promised (an important order)",
      facts: JSON.stringify({ orderId: `ORD-${i}`, note: name }),
      signalAt: at,
      detectedAt: at,
      complainedFirst: opts.complainedFirst ?? false,
    },
  });
  const grantId = `grant_seed_${i}_${Date.now().toString(36)}`;
  const value = opts.value ?? 120;
  await prisma.gestureGrant.create({
    data: {
      id: grantId,
      disruptionId,
      customerId,
      gestureId: "g",
      kind: "complimentary_item",
      description: "A complimentary gift",
      value,
      currency: "EUR",
      status: opts.pending ? "pending_approval" : "granted",
      reason: "policy shipment_delay/high/valued; above the auto-approve limit of 50",
    },
  });
  const entries: [string, string, string][] = [
    ["signal", "Shipment ETA updated", "carrier says January 10"],
    ["detection", "Shipment delay detected", "4 days later than promised"],
    ["gesture", "Proposed A complimentary gift (needs approval)", "above the auto-approve limit of 50"],
  ];
  for (const [k, [type, summary, reason]] of entries.entries())
    await prisma.timelineEntry.create({
      data: { id: `tl_${disruptionId}_${k}`, disruptionId, at: new Date(at.getTime() + k), type, summary, reason },
    });
  let approvalId: string | undefined;
  if (opts.pending) {
    approvalId = `appr_seed_${i}_${Date.now().toString(36)}`;
    await prisma.approval.create({
      data: {
        id: approvalId,
        disruptionId,
        grantId,
        requestedAt: new Date(at.getTime() + 10),
        expiresAt: new Date(at.getTime() + 4 * 3_600_000),
      },
    });
  } else {
    const html = `<p>Dear ${name.replace(/</g, "&lt;")}, sorry.</p><script>parent.__pwned = 1</script>`;
    await prisma.message.create({
      data: {
        id: `msg_${disruptionId}_e`,
        disruptionId,
        customerId,
        purpose: "apology",
        channel: "email",
        recipient: `c${i}@example.com`,
        subject: `Sorry, ${name}`,
        html,
        text: `Dear ${name}, sorry.`,
        status: "sent",
        provider: "resend",
        idempotencyKey: `${disruptionId}:apology:email`,
        sentAt: new Date(at.getTime() + 60_000),
      },
    });
    await prisma.message.create({
      data: {
        id: `msg_${disruptionId}_s`,
        disruptionId,
        customerId,
        purpose: "apology",
        channel: "sms",
        recipient: "+12125550100",
        body: `Hi ${name}, your order ORD-${i} is late. Reply STOP to opt out`,
        status: "failed",
        provider: "twilio",
        error: "21610: unsubscribed recipient",
        idempotencyKey: `${disruptionId}:apology:sms`,
      },
    });
  }
  return { customerId, disruptionId, grantId, approvalId, name };
}

/** A Browser signed in (session minted directly) as a new user of `role`, with its CSRF token. */
export async function signedIn(
  runtime: NodeRuntime,
  user: { id: string },
  now: Date,
): Promise<{ browser: Browser; csrf: string }> {
  const browser = new Browser(runtime);
  const session = await mintSession(runtime, user.id, now);
  browser.cookies.set("mg_session", session.cookie.slice("mg_session=".length));
  return { browser, csrf: session.csrf };
}
