/**
 * Dashboard sessions. The browser holds a random 256-bit token (cookie `mg_session`);
 * the database holds only its SHA-256 (`Session.id`), so a leaked table opens nothing.
 * A new token at every sign-in; idle and absolute timeouts are checked on every request.
 */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { isRole, type Role } from "./roles.ts";

export const SESSION_COOKIE = "mg_session";
/** Signed out after this long without a request. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** Signed out this long after signing in, whatever the activity. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** `lastSeenAt` is written at most this often (one write per minute, not per request). */
export const SESSION_TOUCH_MS = 60_000;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The largest gesture value this person may approve; null → only the policy's limit applies. */
  approvalLimit: number | null;
}

export interface ActiveSession {
  /** SHA-256 of the token (the row id); never the token itself. */
  id: string;
  user: SessionUser;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

type Db = Pick<PrismaClient, "session">;

export function randomToken(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Starts a session; the returned token goes in the cookie and nowhere else. */
export async function createSession(
  prisma: Db,
  userId: string,
  now: Date,
  meta: { ip?: string; userAgent?: string } = {},
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  await prisma.session.create({
    data: {
      id: await hashToken(token),
      userId,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 256) ?? null,
    },
  });
  return { token, csrfToken, expiresAt };
}

/** The live session for a token, or null. An expired session (idle, absolute, disabled user) is deleted. */
export async function validateSession(prisma: Db, token: string | undefined, now: Date): Promise<ActiveSession | null> {
  if (!token || token.length > 128) return null;
  const id = await hashToken(token);
  const row = await prisma.session.findUnique({ where: { id }, include: { user: true } });
  if (!row) return null;
  const t = now.getTime();
  const expired =
    t >= row.expiresAt.getTime() ||
    t >= row.lastSeenAt.getTime() + SESSION_IDLE_MS ||
    row.user.disabledAt !== null ||
    !isRole(row.user.role);
  if (expired) {
    await prisma.session.deleteMany({ where: { id } });
    return null;
  }
  const { user } = row;
  return {
    id,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role as Role,
      approvalLimit: user.approvalLimit === null ? null : Number(user.approvalLimit),
    },
    csrfToken: row.csrfToken,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
  };
}

/** Records activity (for the idle timeout), at most once per SESSION_TOUCH_MS. */
export async function touchSession(prisma: Db, session: ActiveSession, now: Date): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < SESSION_TOUCH_MS) return;
  await prisma.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: now } });
}

/** Ends the session a token belongs to (sign-out, or a new sign-in from the same browser). */
export async function endSession(prisma: Db, token: string | undefined): Promise<void> {
  if (!token || token.length > 128) return;
  await prisma.session.deleteMany({ where: { id: await hashToken(token) } });
}

/** Ends every session of a user (disabled, role changed, password changed). */
export async function endUserSessions(prisma: Db, userId: string): Promise<number> {
  return (await prisma.session.deleteMany({ where: { userId } })).count;
}
