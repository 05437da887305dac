import { AppError } from "./errors.ts";

/** Seconds a client should wait before retrying when storage or the engine is briefly unavailable. */
export const RETRY_AFTER_SECONDS = 5;

const TRANSIENT =
  /SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN)|database is locked|database or disk is full|disk I\/O error|D1_ERROR.*(overloaded|timeout|reset)/i;

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const meta = (error as { meta?: unknown }).meta;
  return [error.message, String((error as { cause?: unknown }).cause ?? ""), meta ? JSON.stringify(meta) : ""].join(
    " ",
  );
}

/** A unique-constraint violation from Prisma (P2002): someone else inserted the same key first. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002" || /UNIQUE constraint failed/i.test(describe(error));
}

/** A NOT NULL violation of `column` ("Table.column"), on SQLite and D1 alike. */
export function isNotNullViolation(error: unknown, column: string): boolean {
  return describe(error).includes(`NOT NULL constraint failed: ${column}`);
}

/** Storage trouble that a retry may cure (busy, locked, disk full, I/O): a 503, never "202 then lost". */
export function isTransientDatabaseError(error: unknown): boolean {
  return TRANSIENT.test(describe(error));
}

export function unavailable(message: string): AppError {
  return new AppError("unavailable", message, undefined, { "retry-after": String(RETRY_AFTER_SECONDS) });
}
