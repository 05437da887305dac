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

test("APP_THREADS: auto is one function thread per core (none on one core), none with a virtual clock", async () => {
  const { availableParallelism } = await import("node:os");
  const { functionThreads } = await import("../../src/node-runtime.ts");
  const { VirtualClock } = await import("../../src/engine/index.ts");
  const auto = loadConfig({});
  expect(auto.APP_THREADS).toBe("auto");
  const cores = availableParallelism();
  expect(functionThreads(auto, undefined)).toBe(cores < 2 ? 0 : Math.min(8, cores));
  expect(functionThreads(auto, new VirtualClock())).toBe(0);
  expect(functionThreads(loadConfig({ APP_THREADS: "3" }), undefined)).toBe(3);
  expect(functionThreads(loadConfig({ APP_THREADS: "0" }), undefined)).toBe(0);
  // Threads keep real time: asking for them with a virtual clock is a mistake, said at start-up.
  expect(() => functionThreads(loadConfig({ APP_THREADS: "2" }), new VirtualClock())).toThrow(/APP_THREADS/);
  expect(() => loadConfig({ APP_THREADS: "many" })).toThrow(/APP_THREADS/);
});

test("ENGINE_HEADROOM: on by default, off keeps the engine's fixed concurrency, none with a virtual clock", async () => {
  const { engineHeadroom } = await import("../../src/node-runtime.ts");
  const { VirtualClock } = await import("../../src/engine/index.ts");
  const on = engineHeadroom(loadConfig({ ENGINE_CONCURRENCY: "12" }), undefined);
  try {
    expect(on?.limit()).toBe(2); // slow start, up to ENGINE_CONCURRENCY
    for (let i = 0; i < 20; i++) on?.adjust(0.1);
    expect(on?.limit()).toBe(12);
  } finally {
    on?.stop();
  }
  expect(engineHeadroom(loadConfig({ ENGINE_HEADROOM: "off" }), undefined)).toBeUndefined();
  expect(engineHeadroom(loadConfig({}), new VirtualClock())).toBeUndefined();
  expect(() => loadConfig({ ENGINE_HEADROOM: "maybe" })).toThrow(/ENGINE_HEADROOM/);
});
