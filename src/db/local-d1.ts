import { readdirSync } from "node:fs";
import { join } from "node:path";

/** The SQLite file miniflare keeps local D1 in (readable from Node: WAL, shared memory). */
export function localD1File(persistTo: string): string {
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no local D1 database under ${dir}`);
  return join(dir, file);
}
