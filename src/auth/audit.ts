import type { PrismaClient } from "../db/generated/node/client.ts";

/**
 * The audit log: who did what, to what, and when. Every human action writes one row
 * (sign-in and sign-out, approve/deny, publish/roll back, policy change, key or user created).
 *
 * Actions are `<thing>.<verb>`: session.login, session.login_failed, session.logout,
 * user.created, user.disabled, key.created, key.revoked, approval.approve, approval.deny,
 * template.publish, template.rollback, policy.update, gesture.update, gesture_text.update, customer.erase, customer.export.
 */
export type Actor = string;

/** The actor string for a dashboard user (their id) or an API key. */
export const userActor = (user: { id: string }): Actor => user.id;
export const apiKeyActor = (key: { name: string }): Actor => `api key ${key.name}`;

/** An audit row's data, for a write that saves it in the same batch as the change it records. */
export function auditEntry(
  actor: Actor,
  action: string,
  target: string,
  detail?: Record<string, unknown>,
  at = new Date(),
) {
  return {
    id: `aud_${crypto.randomUUID()}`,
    at,
    actor,
    action,
    target,
    detail: detail === undefined ? null : JSON.stringify(detail),
  };
}

export async function audit(
  prisma: Pick<PrismaClient, "auditLog">,
  actor: Actor,
  action: string,
  target: string,
  detail?: Record<string, unknown>,
  at: Date = new Date(),
): Promise<void> {
  await prisma.auditLog.create({ data: auditEntry(actor, action, target, detail, at) });
}
