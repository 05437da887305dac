import { validationFailed } from "./errors.ts";

/**
 * Keyset paging: a page ends at a row's (time, id), and the next page starts strictly
 * after it in the list's order (newest first). Clients get the position as an opaque token;
 * rows that arrive meanwhile never shift a page, so a walk sees each row exactly once.
 */
export interface Position {
  at: Date;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString("base64url");
}

/** The position a cursor names; a 400 naming `cursor` when it is not one of ours. */
export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    const when = new Date(String(at));
    if (typeof at === "string" && typeof id === "string" && id && !Number.isNaN(when.getTime()))
      return { at: when, id };
  } catch {
    // falls through to the error below
  }
  throw validationFailed("the request", [{ field: "cursor", message: "not a cursor this API returned" }]);
}

/** The next page's cursor: only when this page was full. */
export function nextCursor<T>(rows: T[], limit: number, position: (row: T) => Position): string | undefined {
  const last = rows.at(-1);
  return rows.length === limit && last ? encodeCursor(position(last)) : undefined;
}

/** Rows strictly after `p` in (time desc, id desc) order, for a Prisma `where` on those two columns. */
export function afterPosition<K extends string>(timeField: K, p: Position | undefined) {
  return beyondPosition(timeField, p, "lt");
}

/** Rows strictly below (`lt`) or above (`gt`) `p` in (time, id) order: a page's edge, either way. */
export function beyondPosition<K extends string>(timeField: K, p: Position | undefined, op: "lt" | "gt") {
  if (!p) return {};
  return {
    OR: [{ [timeField]: { [op]: p.at } }, { [timeField]: p.at, id: { [op]: p.id } }],
  } as Record<"OR", Array<Record<string, unknown>>>;
}
