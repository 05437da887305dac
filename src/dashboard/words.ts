/**
 * Machine values in words for the dashboard's readers (managers, CX): kinds, statuses, reasons,
 * channels and purposes. One place, so no page shows `shipment_delay` or `awaiting_approval`.
 * An unknown value is shown with its underscores turned to spaces rather than hidden.
 */

const spaced = (value: string) => value.replaceAll("_", " ");
const lookup = (table: Record<string, string>) => (value: string | null | undefined) =>
  value ? (table[value] ?? spaced(value)) : "";

export const kindLabel = lookup({
  shipment_delay: "Late delivery",
  flight_cancelled: "Flight cancelled",
  flight_diverted: "Flight diverted",
  flight_delayed: "Flight delayed",
  deliverable_error: "Errors in a deliverable",
});

export const statusLabel = lookup({
  open: "Open",
  notified: "Customer told",
  awaiting_approval: "Waiting for a manager",
  resolved: "Resolved",
  superseded: "Replaced by newer news",
  closed: "Closed",
});

export const gestureKindLabel = lookup({
  voucher: "Voucher",
  complimentary_item: "Complimentary item",
  free_session: "Free session",
  credit: "Store credit",
});

export const severityLabel = lookup({ low: "Low", medium: "Medium", high: "High", critical: "Critical" });

export const tierLabel = lookup({ standard: "Standard", valued: "Valued", vip: "VIP" });

export const channelLabel = lookup({ email: "Email", sms: "SMS", both: "Email and SMS" });

export const purposeLabel = lookup({
  apology: "Apology",
  gesture: "Gesture",
  follow_up: "Follow-up",
  update: "Update",
});

export const messageStatusLabel = lookup({
  queued: "Waiting to send",
  deferred: "Held for quiet hours",
  sent: "Sent",
  skipped: "Not sent",
  failed: "Failed",
});

export const deliveryLabel = lookup({
  queued: "queued",
  sent: "sent",
  delivery_delayed: "delivery delayed",
  delivered: "delivered",
  bounced: "bounced",
  complained: "marked as spam",
  undelivered: "not delivered",
  failed: "failed",
});

export const grantStatusLabel = lookup({
  granted: "Given",
  pending_approval: "Waiting for approval",
  denied: "Denied",
  expired: "Expired (no decision in time)",
  approved: "Approved",
});

export const approvalStatusLabel = lookup({
  pending: "Waiting",
  approved: "Approved",
  denied: "Denied",
  expired: "No decision in time",
});

export const entryTypeLabel = lookup({
  signal: "Signal",
  detection: "Detected",
  gesture: "Gesture",
  approval: "Approval",
  message: "Message",
  delivery: "Delivery",
  complaint: "Complaint",
  resolution: "Resolved",
  follow_up: "Follow-up",
});

export const roleLabel = lookup({ admin: "Admin", manager: "Manager", cx_editor: "CX editor", viewer: "Viewer" });

/** "3 days", "5 hours", "40 minutes": how long, as a person says it. */
export function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (minutes < 90) return plural(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 48) return plural(hours, "hour");
  return plural(Math.round(hours / 24), "day");
}

export const money = (value: unknown, currency: string) => `${Number(value).toFixed(2)} ${currency}`;

/**
 * A reason written by the recovery ("policy shipment_delay/high/valued; above the auto-approve
 * limit of 50") with its machine values in words ("the late delivery · high · valued policy; …").
 */
export function reasonText(reason: string | null | undefined): string {
  if (!reason) return "";
  return reason
    .replace(
      /policy ([a-z_*]+)\/([a-z_*]+)\/([a-z_*]+)/g,
      (_, kind: string, severity: string, tier: string) =>
        `the policy for ${kind === "*" ? "any disruption" : kindLabel(kind).toLowerCase()}, ${severity === "*" ? "any" : severity} severity, ${tier === "*" ? "any" : tier} customers`,
    )
    .replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (token) => kindLabel(token).toLowerCase());
}

/** The recoveries behind each of the overview's figures (the list's `outcome` filter). */
export const outcomeLabel = lookup({
  counted: "counted in the overview (not replaced by newer news)",
  notified: "customer told",
  told_first: "we told the customer first",
  not_told_first: "customer told, but they complained first",
  complained_first: "the customer complained first",
  not_told_yet: "not told yet, no complaint",
  undelivered: "a message bounced or was not delivered",
  gesture_granted: "a gesture was granted",
  needed_approval: "a gesture waited for a manager",
});
