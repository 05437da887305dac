/**
 * Keyset paging for the dashboard's lists (src/http/cursor.ts: opaque cursors on (time, id)).
 * `?after=<cursor>` is the next page in the list's order, `?before=<cursor>` the previous one;
 * rows that arrive meanwhile never shift a page, so walking a list sees each row once.
 * A cursor the page cannot read is ignored (the list starts at its first page), as other
 * unreadable query values are on the dashboard.
 */
import { beyondPosition, decodeCursor, encodeCursor, type Position } from "../http/cursor.ts";

export type Order = "desc" | "asc";

export interface Paged<T> {
  rows: T[];
  /** The cursor of the next page (`?after=`), when there is one. */
  next?: string;
  /** The cursor of the previous page (`?before=`), when there is one. */
  previous?: string;
}

const read = (cursor: string | undefined): Position | undefined => {
  try {
    return decodeCursor(cursor || undefined);
  } catch {
    return undefined;
  }
};

/**
 * One page of a list ordered by (time, id) in `order`. `fetch` runs the query with the extra
 * `where` on the two columns, the direction to read in, and how many rows to take.
 */
export async function keysetPage<T>(
  query: { after?: string; before?: string },
  size: number,
  timeField: string,
  order: Order,
  position: (row: T) => Position,
  fetch: (page: { where: Record<string, unknown>; direction: Order; take: number }) => Promise<T[]>,
): Promise<Paged<T>> {
  const flip: Order = order === "desc" ? "asc" : "desc";
  const forward = order === "desc" ? "lt" : "gt";
  const backward = order === "desc" ? "gt" : "lt";
  const before = read(query.before);
  const after = before ? undefined : read(query.after);
  if (before) {
    const rows = await fetch({ where: beyondPosition(timeField, before, backward), direction: flip, take: size + 1 });
    const page = rows.slice(0, size).reverse();
    const first = page[0];
    const last = page.at(-1);
    return {
      rows: page,
      previous: rows.length > size && first ? encodeCursor(position(first)) : undefined,
      next: last ? encodeCursor(position(last)) : undefined,
    };
  }
  const rows = await fetch({ where: beyondPosition(timeField, after, forward), direction: order, take: size + 1 });
  const page = rows.slice(0, size);
  const first = page[0];
  const last = page.at(-1);
  return {
    rows: page,
    next: rows.length > size && last ? encodeCursor(position(last)) : undefined,
    previous: after && first ? encodeCursor(position(first)) : undefined,
  };
}

/** The pager: links to the previous and next pages, keeping the page's other query values. */
export function Pager(props: {
  path: string;
  query: Record<string, string | undefined>;
  paged: Paged<unknown>;
  labels?: { previous: string; next: string };
}) {
  const { after: _a, before: _b, page: _p, ...rest } = props.query;
  const keep = Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => Boolean(e[1])));
  const link = (key: "after" | "before", cursor: string) =>
    `${props.path}?${new URLSearchParams({ ...keep, [key]: cursor })}`;
  const labels = props.labels ?? { previous: "← Newer", next: "Older →" };
  return (
    <nav class="pager" aria-label="Pages">
      {props.paged.previous ? (
        <a rel="prev" href={link("before", props.paged.previous)}>
          {labels.previous}
        </a>
      ) : null}
      {props.paged.next ? (
        <a rel="next" href={link("after", props.paged.next)}>
          {labels.next}
        </a>
      ) : null}
    </nav>
  );
}
