import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { recordServerAddress, runningServerAddress } from "../../src/server-address.ts";

test("a running server's address is found beside its database, and forgotten when it stops", () => {
  const db = join(mkdtempSync(join(tmpdir(), "makegood-address-")), "makegood.db");
  expect(runningServerAddress(db)).toBeUndefined();
  const forget = recordServerAddress(db, "http://127.0.0.1:4321");
  expect(runningServerAddress(db)).toBe("http://127.0.0.1:4321");
  forget();
  expect(runningServerAddress(db)).toBeUndefined();
});
