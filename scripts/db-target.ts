/**
 * Which database a CLI (users, keys) works on:
 * - default: the Node server's SQLite file (DATABASE_FILE), migrated first;
 * - `--d1`: the local D1 database of `wrangler dev` (`.wrangler/state`, or `--persist-to <dir>` as
 *   given to wrangler), already migrated by `wrangler d1 migrations apply DB --local`;
 * - `--d1 --remote`: the deployed D1 database over Cloudflare's D1 HTTP API, with
 *   CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_DATABASE_ID (`wrangler d1 info makegood`) and
 *   CLOUDFLARE_D1_TOKEN (an API token with D1 edit rights) in the environment.
 */
import { PrismaD1Http } from "@prisma/adapter-d1";
import { loadConfig } from "../src/config.ts";
import { PrismaClient } from "../src/db/generated/node/client.ts";
import { localD1File } from "../src/db/local-d1.ts";
import { createNodePrisma, openMigratedPrisma } from "../src/db/sqlite.ts";

export const TARGET_OPTIONS = {
  d1: { type: "boolean", default: false },
  remote: { type: "boolean", default: false },
  "persist-to": { type: "string", default: ".wrangler/state" },
} as const;

export const TARGET_USAGE = "[--d1 [--remote | --persist-to <dir>]]";

export function openTarget(values: { d1?: boolean; remote?: boolean; "persist-to"?: string }): PrismaClient {
  if (!values.d1) return openMigratedPrisma(loadConfig(process.env).DATABASE_FILE).prisma;
  if (!values.remote) return createNodePrisma(localD1File(values["persist-to"] ?? ".wrangler/state"));
  const need = ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_DATABASE_ID", "CLOUDFLARE_D1_TOKEN"] as const;
  const missing = need.filter((name) => !process.env[name]);
  if (missing.length) throw new Error(`--d1 --remote needs ${missing.join(", ")} in the environment`);
  const env = process.env as Record<(typeof need)[number], string>;
  const adapter = new PrismaD1Http({
    CLOUDFLARE_ACCOUNT_ID: env.CLOUDFLARE_ACCOUNT_ID,
    CLOUDFLARE_DATABASE_ID: env.CLOUDFLARE_DATABASE_ID,
    CLOUDFLARE_D1_TOKEN: env.CLOUDFLARE_D1_TOKEN,
  });
  return new PrismaClient({ adapter });
}
