/**
 * Many rows inserted with plain SQL, as batch-able writes, on SQLite and D1 alike.
 *
 * Prisma compiles every `createMany` anew (its query-plan cache leaves them out): about 1.5 ms each
 * on a warm server and several times that on a cold one, where the same INSERT as raw SQL costs
 * ~0.4 ms. A 300-passenger cancellation inserts ~80 such statements (D1's 100 bound parameters
 * allow 8 disruptions or 14 timeline lines in one), so its detection spent most of its time there.
 */
import { sqlTime } from "./sql-time.ts";

type Value = string | number | boolean | Date | null | undefined;

/** What Prisma's client gives for raw SQL; its promises join a batch `$transaction([...])`. */
interface RawSql<P> {
  $executeRawUnsafe(sql: string, ...values: unknown[]): P;
}

/** D1 binds at most 100 parameters a statement. */
export const MAX_PARAMS = 100;

/**
 * INSERT statements for `rows` (every row has every column; names are trusted constants), each
 * under D1's parameter limit. Values are stored the way Prisma stores them: dates as ISO text
 * with `+00:00`, booleans as 0/1. With `skipExisting`, a row whose key (that unique column) is
 * taken already is left out, not an error: what a repeated try of the same writes needs.
 */
export function insertRows<Row extends Record<string, Value>, P>(
  db: RawSql<P>,
  table: string,
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
  opts: { skipExisting?: keyof Row & string } = {},
): P[] {
  const perStatement = Math.floor(MAX_PARAMS / columns.length);
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const tail = opts.skipExisting ? ` ON CONFLICT ("${opts.skipExisting}") DO NOTHING` : "";
  const writes: P[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const values = chunk.flatMap((row) => columns.map((c) => stored(row[c])));
    writes.push(db.$executeRawUnsafe(head + chunk.map(() => tuple).join(", ") + tail, ...values));
  }
  return writes;
}

function stored(value: Value): string | number | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return sqlTime(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}
