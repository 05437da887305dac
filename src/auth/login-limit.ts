/**
 * Sign-in rate limiting: failed attempts are counted per email and per client IP in a
 * sliding window; over the limit, sign-in answers 429 with Retry-After before any
 * password is checked (so a correct guess does not get through either).
 */
import type { PrismaClient } from "../db/generated/node/client.ts";

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL = 5;
/** Higher than per email: several people may share an office IP. */
export const MAX_FAILURES_PER_IP = 20;

type Db = Pick<PrismaClient, "loginAttempt">;
export interface LoginSource {
  email: string;
  ip?: string;
}

const limitsFor = (source: LoginSource): Array<[string, number]> => [
  [`email:${source.email.toLowerCase()}`, MAX_FAILURES_PER_EMAIL],
  ...(source.ip ? [[`ip:${source.ip}`, MAX_FAILURES_PER_IP] as [string, number]] : []),
];

/** Seconds until sign-in is allowed again for this email/IP, or 0 when it is allowed now. */
export async function loginRetryAfter(prisma: Db, source: LoginSource, now: Date): Promise<number> {
  let until = 0;
  for (const [key, limit] of limitsFor(source)) {
    const recent = await prisma.loginAttempt.findMany({
      where: { key, at: { gt: new Date(now.getTime() - LOGIN_WINDOW_MS) } },
      orderBy: { at: "desc" },
      take: limit,
      select: { at: true },
    });
    const oldest = recent[limit - 1];
    if (oldest) until = Math.max(until, oldest.at.getTime() + LOGIN_WINDOW_MS);
  }
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

export async function recordLoginFailure(prisma: Db, source: LoginSource, now: Date): Promise<void> {
  await prisma.loginAttempt.deleteMany({ where: { at: { lte: new Date(now.getTime() - LOGIN_WINDOW_MS) } } });
  await prisma.loginAttempt.createMany({
    data: limitsFor(source).map(([key]) => ({ id: `la_${crypto.randomUUID()}`, key, at: now })),
  });
}

/** After a successful sign-in the email's count starts again (the IP's does not). */
export async function clearLoginFailures(prisma: Db, email: string): Promise<void> {
  await prisma.loginAttempt.deleteMany({ where: { key: `email:${email.toLowerCase()}` } });
}
