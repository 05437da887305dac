/** Dashboard accounts: create (password generated or given), list, disable; the first demo admin. */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { audit } from "./audit.ts";
import { generatePassword, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./passwords.ts";
import { isRole, ROLES, type Role } from "./roles.ts";
import { endUserSessions } from "./sessions.ts";

type Db = Pick<PrismaClient, "user" | "session" | "auditLog">;

export const DEMO_ADMIN_EMAIL = "admin@makegood.local";
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,189}$/;

export interface NewUser {
  email: string;
  name: string;
  role: string;
  /** Given (at least 12 characters), or generated and returned once. */
  password?: string;
  approvalLimit?: number;
}

export async function createUser(
  prisma: Db,
  input: NewUser,
  actor: string,
  now: Date = new Date(),
): Promise<{ id: string; email: string; role: Role; password: string; generated: boolean }> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  if (!EMAIL.test(email)) throw new Error(`"${input.email}" is not an email address`);
  if (!name || name.length > 100 || /[\p{Cc}<>]/u.test(name)) throw new Error("a user needs a plain name (≤ 100)");
  if (!isRole(input.role)) throw new Error(`unknown role "${input.role}" (known: ${ROLES.join(", ")})`);
  const { password: given } = input;
  if (given !== undefined && (given.length < MIN_PASSWORD_LENGTH || given.length > MAX_PASSWORD_LENGTH)) {
    throw new Error(`a password has ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (input.approvalLimit !== undefined && !(Number.isFinite(input.approvalLimit) && input.approvalLimit >= 0)) {
    throw new Error("an approval limit is a number ≥ 0");
  }
  if (await prisma.user.findUnique({ where: { email } })) throw new Error(`a user with email ${email} exists`);
  const password = given ?? generatePassword();
  const id = `usr_${crypto.randomUUID()}`;
  await prisma.user.create({
    data: {
      id,
      email,
      name,
      role: input.role,
      passwordHash: await hashPassword(password),
      approvalLimit: input.approvalLimit ?? null,
      createdAt: now,
    },
  });
  await audit(prisma, actor, "user.created", id, { email, role: input.role }, now);
  return { id, email, role: input.role, password, generated: given === undefined };
}

export async function listUsers(prisma: Db) {
  return prisma.user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, approvalLimit: true, createdAt: true, disabledAt: true },
  });
}

/** Disables an account and ends its sessions at once. False when no active user has that email. */
export async function disableUser(prisma: Db, email: string, actor: string, now: Date = new Date()): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user || user.disabledAt) return false;
  await prisma.user.update({ where: { id: user.id }, data: { disabledAt: now } });
  const ended = await endUserSessions(prisma, user.id);
  await audit(prisma, actor, "user.disabled", user.id, { email: user.email, sessionsEnded: ended }, now);
  return true;
}

/**
 * On the first start of a demo (no users at all): an admin `admin@makegood.local` with a
 * random password, returned so the startup banner prints it once. Undefined otherwise.
 */
export async function ensureDemoAdmin(prisma: Db, now: Date): Promise<{ email: string; password: string } | undefined> {
  if ((await prisma.user.count()) > 0) return undefined;
  const created = await createUser(
    prisma,
    { email: DEMO_ADMIN_EMAIL, name: "Demo admin", role: "admin" },
    "system (first start)",
    now,
  );
  return { email: created.email, password: created.password };
}
