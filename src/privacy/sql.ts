/** SQL pieces the privacy writes share; every statement stays under D1's 100 bound parameters. */
export { MAX_PARAMS } from "../db/insert-rows.ts";

export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * `REPLACE(REPLACE(col, ?, '<with>'), ?, '<with>')…` over `terms` (each bound once per use), and
 * `instr(col, ?) > 0 OR …` to touch only the rows that hold one. Plain SQLite functions: D1 has them.
 */
export function scrubSql(terms: readonly string[], replacement: string) {
  const literal = `'${replacement.replaceAll("'", "''")}'`;
  return {
    expr: (col: string) => terms.reduce((acc) => `REPLACE(${acc}, ?, ${literal})`, col),
    matches: (col: string) => terms.map(() => `instr(${col}, ?) > 0`).join(" OR "),
  };
}
