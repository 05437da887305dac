import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { openMigratedPrisma } from "../../src/db/sqlite.ts";
import { refreshRollups } from "../../src/recovery/metrics-refresh.ts";

test("refreshes asked at once for the same instant share one when its days cover theirs; later ones look again", async () => {
  const sql: string[] = [];
  const { prisma } = openMigratedPrisma(join(mkdtempSync(join(tmpdir(), "makegood-refresh-")), "db.sqlite"), (q) =>
    sql.push(q),
  );
  const looks = () => sql.filter((q) => q.includes(`FROM "MetricsDirtyDay"`)).length;
  const now = new Date("2026-03-10T10:00:00Z");
  try {
    await Promise.all([
      refreshRollups(prisma, now, { first: "2026-02-01", last: "2026-03-09" }),
      refreshRollups(prisma, now, { first: "2026-02-08", last: "2026-03-09" }),
      refreshRollups(prisma, now, { first: "2026-03-01", last: "2026-03-09" }),
    ]);
    expect(looks()).toBe(1);
    // Not covered (earlier days), or another instant: each looks for itself.
    await Promise.all([
      refreshRollups(prisma, now, { first: "2026-01-01", last: "2026-01-31" }),
      refreshRollups(prisma, new Date(now.getTime() + 1), { first: "2026-02-08", last: "2026-03-09" }),
    ]);
    expect(looks()).toBe(3);
    // Once finished, the same ask looks again: a write may have marked a day since.
    await refreshRollups(prisma, now, { first: "2026-02-08", last: "2026-03-09" });
    expect(looks()).toBe(4);
  } finally {
    await prisma.$disconnect();
  }
});
