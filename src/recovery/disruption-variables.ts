import type { PrismaClient } from "../db/generated/node/client.ts";
import { gestureTextFor } from "../locale/gesture-texts.ts";
import type { TemplateKind } from "../templates/variables.ts";
import { signerFor } from "./contacts.ts";
import { messageVariables } from "./message-variables.ts";
import type { ReferenceData } from "./reference-data.ts";

/**
 * The template variables for one disruption, loaded from the database: used to
 * compose real messages and to preview a template against a real past disruption.
 */
export async function disruptionVariables(
  reference: Pick<ReferenceData, "gestures" | "setting">,
  disruption: Awaited<ReturnType<typeof loadForMessage>> & object,
  kind: TemplateKind,
  optOutText: string,
  now: Date,
) {
  const grant = disruption.grants.filter((g) => g.status === "granted" || g.status === "pending_approval").at(-1);
  const gesture = grant ? (await reference.gestures()).find((g) => g.id === grant.gestureId) : undefined;
  // What the customer reads about it, in their language (the grant keeps the catalog's words as granted).
  const text = gesture ? gestureTextFor(gesture, disruption.customer.locale) : undefined;
  return messageVariables({
    kind,
    disruption: { ...disruption, facts: JSON.parse(disruption.facts) as Record<string, unknown> },
    customer: disruption.customer,
    signer: await signerFor(reference, disruption.kind, disruption.customer),
    gesture: grant
      ? {
          kind: grant.kind,
          description: text?.description ?? grant.description,
          value: Number(grant.value),
          currency: grant.currency,
          code: grant.code,
          howToUse: text ? text.howToUse : null,
          pending: grant.status !== "granted",
        }
      : null,
    optOutText,
    now,
  });
}

export function loadForMessage(prisma: PrismaClient, disruptionId: string) {
  return prisma.disruption.findUnique({ where: { id: disruptionId }, include: { customer: true, grants: true } });
}
