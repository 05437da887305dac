import type { PrismaClient } from "../db/generated/node/client.ts";
import { type ApiKeyStore, isScope, type StoredApiKey } from "./api-keys.ts";

/** ApiKeyStore over Prisma (SQLite on Node, D1 on Workers). */
export function prismaApiKeyStore(prisma: Pick<PrismaClient, "apiKey">): ApiKeyStore & {
  list(): Promise<Array<StoredApiKey & { createdAt: Date; lastUsedAt: Date | null }>>;
  revoke(prefix: string, at: Date): Promise<boolean>;
} {
  const toStored = (row: {
    id: string;
    name: string;
    prefix: string;
    hash: string;
    scopes: string;
    revokedAt: Date | null;
  }) => ({
    ...row,
    scopes: row.scopes.split(",").filter(isScope),
  });
  return {
    async insert(key) {
      await prisma.apiKey.create({ data: { ...key, scopes: key.scopes.join(",") } });
    },
    async findByPrefix(prefix) {
      const row = await prisma.apiKey.findUnique({ where: { prefix } });
      return row ? toStored(row) : undefined;
    },
    async touch(id, at) {
      await prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
    },
    async list() {
      return (await prisma.apiKey.findMany({ orderBy: { createdAt: "asc" } })).map((row) => ({
        ...toStored(row),
        createdAt: row.createdAt,
        lastUsedAt: row.lastUsedAt,
      }));
    },
    async revoke(prefix, at) {
      const result = await prisma.apiKey.updateMany({ where: { prefix, revokedAt: null }, data: { revokedAt: at } });
      return result.count > 0;
    },
  };
}
