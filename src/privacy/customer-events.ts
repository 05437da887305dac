import type { PrismaClient } from "../db/generated/node/client.ts";
import { chunked } from "./sql.ts";

/**
 * Accepted events (InboundEvent) that carry this customer: naming their id as a `customerId`
 * (bodies are canonical JSON, so the text is exact) or holding their address or number.
 * A scan of the table: erasure and export are rare, and an index cannot look inside JSON text.
 */
export async function customerEvents(
  prisma: PrismaClient,
  customerId: string,
  exact: readonly string[],
): Promise<Array<{ id: string; type: string; receivedAt: Date; body: string }>> {
  const needles = [`"customerId":${JSON.stringify(customerId)}`, ...exact.map((t) => JSON.stringify(t).slice(1, -1))];
  const found = new Map<string, { id: string; type: string; receivedAt: Date; body: string }>();
  for (const group of chunked([...new Set(needles)], 90)) {
    const rows = await prisma.$queryRawUnsafe<Array<{ id: string; type: string; receivedAt: unknown; body: string }>>(
      `SELECT "id", "type", "receivedAt", "body" FROM "InboundEvent" WHERE ${group.map(() => `instr("body", ?) > 0`).join(" OR ")}`,
      ...group,
    );
    for (const r of rows) found.set(r.id, { ...r, receivedAt: new Date(r.receivedAt as string) });
  }
  return [...found.values()].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}
