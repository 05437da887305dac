const DAY = 86_400_000;

/**
 * The benches' shipment delay: promised for tomorrow, now due in four days (a medium delay, a
 * gesture within policy, no approval), sent as it happens.
 */
export function lateEta(ids: { id: string; orderId: string; customerId: string }) {
  const now = Date.now();
  return {
    id: ids.id,
    type: "shipment.eta_updated" as const,
    occurredAt: new Date(now).toISOString(),
    data: {
      orderId: ids.orderId,
      customerId: ids.customerId,
      promisedBy: new Date(now + DAY).toISOString(),
      newEta: new Date(now + 4 * DAY).toISOString(),
      carrier: "ParcelCo",
      reason: "a storm closed the carrier's hub",
    },
  };
}
