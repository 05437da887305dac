import { expect, test } from "vitest";
import { loadConfig } from "../../src/config.ts";

test("defaults run the embedded engine on port 3000 with files under ./data", () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ PORT: 3000, ENGINE: "embedded", DATABASE_FILE: "./data/makegood.db" });
});

test("a bad value stops start-up with the variable's name", () => {
  expect(() => loadConfig({ PORT: "http" })).toThrow(/PORT/);
  expect(() => loadConfig({ INNGEST_SIGNING_KEY: "hunter2" })).toThrow(/INNGEST_SIGNING_KEY/);
});

test("ENGINE=inngest needs both Inngest keys", () => {
  expect(() => loadConfig({ ENGINE: "inngest" })).toThrow(/INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY/);
  expect(
    loadConfig({ ENGINE: "inngest", INNGEST_SIGNING_KEY: "signkey-prod-abcd", INNGEST_EVENT_KEY: "k" }).ENGINE,
  ).toBe("inngest");
});
