import type { Customer, Disruption, GestureGrant } from "../db/generated/node/client.ts";
import { deliverablePromises } from "./promises.ts";

/**
 * The account lead's task, in words: whom to call and by when (the time the client was promised,
 * on the lead's clock — the client's zone, named), what was wrong, when the corrected version is
 * due, and the gesture offered in the lead's name. Written in English for the team.
 */
export function accountLeadTask(
  d: Disruption & { customer: Customer; grants: GestureGrant[] },
  now: Date,
): { subject: string; text: string; callBy: string } {
  const facts = JSON.parse(d.facts) as { title?: string; issues?: Array<{ summary: string; severity: string }> };
  const title = facts.title ?? "the deliverable";
  const promised = deliverablePromises(d.signalAt, now, d.customer.timeZone);
  const when = (t: Date) =>
    `${new Intl.DateTimeFormat("en-GB", {
      weekday: "long",
      day: "numeric",
      month: "long",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: d.customer.timeZone,
    }).format(t)} (${d.customer.timeZone})`;
  const callBy = when(promised.callBy);
  const issues = (facts.issues ?? []).map((i) => `- ${i.summary} (${i.severity})`).join("\n");
  const grant = d.grants.filter((g) => g.status === "granted" || g.status === "pending_approval").at(-1);
  const gesture = grant
    ? `\n\nOffered in your name: ${grant.description}${grant.status === "pending_approval" ? " (waiting for a manager's approval; not promised to the client yet)" : ""}. Book it when you speak.`
    : "";
  const lead = d.customer.accountLeadName ?? "Hello";
  const text = [
    `${lead},`,
    "",
    `QA found errors in "${title}", already sent to ${d.customer.name}:`,
    issues,
    "",
    `They have been told, in your name, that:`,
    `- you will call them by ${callBy};`,
    `- the corrected version reaches them by ${when(promised.correctedBy)}.${gesture}`,
    "",
    `Please call them by ${callBy} and log the call on recovery ${d.id}.`,
  ].join("\n");
  return { subject: `Task: call ${d.customer.name} by ${callBy} about "${title}"`, text, callBy };
}
