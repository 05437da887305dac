import { defineConfig } from "vitest/config";

/**
 * Four projects, all run by `npm test`:
 * - unit: pure functions, milliseconds each
 * - integration: the real SDK through the engine, SQLite files, HTTP in-process
 * - process: spawned processes killed with SIGKILL (crash recovery), the standalone engine CLI
 * - browser: headless Chromium (Debian's `chromium`, driven by playwright-core) against the app on a loopback port
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 10_000 } },
      {
        test: {
          name: "integration",
          include: ["test/engine/**/*.test.ts", "test/db/**/*.test.ts", "test/app/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "process",
          include: ["test/crash/**/*.test.ts", "test/process/**/*.test.ts"],
          testTimeout: 240_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
