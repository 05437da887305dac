/**
 * API keys from the command line (the key is printed once, never stored):
 *
 *   npm run keys -- create carrier-feed --scope events:write [--scope read]
 *   npm run keys -- list
 *   npm run keys -- revoke <prefix>
 */
import { parseArgs } from "node:util";
import { createApiKey, isScope, SCOPES } from "../src/auth/api-keys.ts";
import { audit } from "../src/auth/audit.ts";
import { prismaApiKeyStore } from "../src/auth/prisma-key-store.ts";
import { runCli } from "./cli.ts";
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from "./db-target.ts";

const USAGE = `usage:
  npm run keys -- create <name> --scope <${SCOPES.join("|")}> [--scope …]
  npm run keys -- list
  npm run keys -- revoke <prefix>\n(each takes ${TARGET_USAGE}: the local or deployed D1 database instead of DATABASE_FILE)`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { scope: { type: "string", multiple: true }, ...TARGET_OPTIONS },
  });
  const [command, arg] = positionals;
  const prisma = openTarget(values);
  const store = prismaApiKeyStore(prisma);
  try {
    if (command === "create" && arg) {
      const scopes = values.scope ?? [];
      const bad = scopes.filter((s) => !isScope(s));
      if (bad.length || scopes.length === 0) {
        console.error(
          bad.length ? `unknown scope: ${bad.join(", ")} (known: ${SCOPES.join(", ")})` : "give at least one --scope",
        );
        return 2;
      }
      const key = await createApiKey(store, arg, scopes.filter(isScope));
      await audit(prisma, "cli", "key.created", key.id, { name: arg, prefix: key.prefix, scopes });
      console.log(`created key "${arg}" (prefix ${key.prefix}) with scopes ${scopes.join(", ")}`);
      console.log("store it now; it is not shown again:");
      console.log(key.secret);
      return 0;
    }
    if (command === "list") {
      for (const k of await store.list()) {
        console.log(
          `${k.prefix}  ${k.name.padEnd(24)} ${k.scopes.join(",").padEnd(40)} ${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active"}`,
        );
      }
      return 0;
    }
    if (command === "revoke" && arg) {
      const done = await store.revoke(arg, new Date());
      if (done) await audit(prisma, "cli", "key.revoked", arg, { prefix: arg });
      console.log(done ? `revoked ${arg}` : `no active key with prefix ${arg}`);
      return done ? 0 : 1;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await prisma.$disconnect();
  }
}

runCli(main);
