/** A DateTime as Prisma's SQLite and D1 adapters store it (ISO text with `+00:00`), for comparisons in raw SQL. */
export const sqlTime = (d: Date) => d.toISOString().replace("Z", "+00:00");
