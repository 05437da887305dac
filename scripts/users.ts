/**
 * Dashboard accounts from the command line (a generated password is printed once, never stored):
 *
 *   npm run users -- create <email> --name "Ada Lovelace" --role admin [--approval-limit 50]
 *        (MAKEGOOD_PASSWORD=… to set the password instead of generating one)
 *   npm run users -- list
 *   npm run users -- disable <email>      (also ends the user's sessions)
 */
import { parseArgs } from "node:util";
import { ROLES } from "../src/auth/roles.ts";
import { createUser, disableUser, listUsers } from "../src/auth/users.ts";
import { runCli } from "./cli.ts";
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from "./db-target.ts";

const USAGE = `usage:
  npm run users -- create <email> --name "<name>" --role <${ROLES.join("|")}> [--approval-limit <amount>]
      (set MAKEGOOD_PASSWORD to choose the password; otherwise one is generated and printed once)
  npm run users -- list
  npm run users -- disable <email>\n(each takes ${TARGET_USAGE}: the local or deployed D1 database instead of DATABASE_FILE)`;

const ACTOR = "cli";

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: "string" },
      role: { type: "string" },
      "approval-limit": { type: "string" },
      ...TARGET_OPTIONS,
    },
  });
  const [command, arg] = positionals;
  const prisma = openTarget(values);
  try {
    if (command === "create" && arg) {
      if (!values.name || !values.role) {
        console.error("give --name and --role");
        return 2;
      }
      const limit = values["approval-limit"];
      const user = await createUser(
        prisma,
        {
          email: arg,
          name: values.name,
          role: values.role,
          password: process.env.MAKEGOOD_PASSWORD || undefined,
          approvalLimit: limit === undefined ? undefined : Number(limit),
        },
        ACTOR,
      );
      console.log(`created ${user.role} ${user.email}`);
      if (user.generated) {
        console.log("their password (shown once; ask them to keep it in a password manager):");
        console.log(user.password);
      }
      return 0;
    }
    if (command === "list") {
      for (const u of await listUsers(prisma)) {
        const limit = u.approvalLimit === null ? "" : ` limit ${u.approvalLimit}`;
        const state = u.disabledAt ? `disabled ${u.disabledAt.toISOString()}` : "active";
        console.log(`${u.email.padEnd(32)} ${u.role.padEnd(10)} ${u.name.padEnd(24)} ${state}${limit}`);
      }
      return 0;
    }
    if (command === "disable" && arg) {
      const done = await disableUser(prisma, arg, ACTOR);
      console.log(done ? `disabled ${arg}; their sessions are ended` : `no active user ${arg}`);
      return done ? 0 : 1;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await prisma.$disconnect();
  }
}

runCli(main);
