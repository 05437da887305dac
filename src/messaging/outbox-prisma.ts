import type { PrismaClient } from "../db/generated/node/client.ts";
import type { OutboxEntry, OutboxStore } from "./outbox.ts";

/** The outbox as a table (OutboxEntry), idempotent on the key like a provider. */
export function prismaOutboxStore(prisma: Pick<PrismaClient, "outboxEntry">): OutboxStore {
  return {
    async put(entry: OutboxEntry) {
      const existing = await prisma.outboxEntry.findUnique({ where: { idempotencyKey: entry.idempotencyKey } });
      if (existing) return { id: existing.id, duplicate: true };
      const id = `outbox_${crypto.randomUUID()}`;
      try {
        await prisma.outboxEntry.create({
          data: {
            id,
            channel: entry.channel,
            idempotencyKey: entry.idempotencyKey,
            recipient: entry.to,
            subject: entry.subject ?? null,
            html: entry.html ?? null,
            text: entry.text ?? null,
            body: entry.body ?? null,
            createdAt: entry.createdAt,
          },
        });
        return { id, duplicate: false };
      } catch (error) {
        // A concurrent put with the same key won the race: answer with its id.
        const winner = await prisma.outboxEntry.findUnique({ where: { idempotencyKey: entry.idempotencyKey } });
        if (winner) return { id: winner.id, duplicate: true };
        throw error;
      }
    },
  };
}
