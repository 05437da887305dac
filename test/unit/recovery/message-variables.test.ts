import { expect, test } from "vitest";
import { messageVariables } from "../../../src/recovery/message-variables.ts";

const facts = (locale: string, kind: "gesture_confirmed" | "update_still_unresolved") =>
  messageVariables({
    kind,
    disruption: {
      kind: "shipment_delay",
      reason: "late",
      facts: { orderId: "A-1042" },
      complainedFirst: false,
      resolvedAt: null,
      resolution: null,
      followUpDueAt: null,
      detectedAt: new Date("2026-03-10T10:00:00Z"),
      signalAt: new Date("2026-03-10T10:00:00Z"),
    },
    signer: { name: "Tom Becker", email: "tom@example.com", role: null, accountLead: false },
    customer: {
      name: "Camille Martin",
      timeZone: "Europe/Paris",
      locale,
      accountLeadName: null,
      accountLeadEmail: null,
    },
    gesture: null,
    optOutText: "STOP",
    now: new Date("2026-03-10T10:00:00Z"),
  }) as { disruption: { subject: string } };

test("what a disruption is about is written in the customer's language", () => {
  for (const kind of ["gesture_confirmed", "update_still_unresolved"] as const) {
    expect(facts("fr-FR", kind).disruption.subject).toBe("votre commande A-1042");
    expect(facts("en-GB", kind).disruption.subject).toBe("your order A-1042");
  }
});
