import { defineConfig } from "vitest/config";

/**
 * Four projects, all run by `npm test`:
 * - unit: pure functions, milliseconds each
 * - integration: the real SDK through the engine, SQLite files, HTTP in-process
 * - process: spawned processes killed with SIGKILL (crash recovery), the standalone engine CLI
 * - browser: headless Chromium (Debian's `chromium`, driven by playwright-core) against the app on a loopback port
 * - workers: the same story files on Cloudflare Workers — `src/worker.ts` under `wrangler dev --local` on
 *   local D1, driven over HTTP by the engine (MAKEGOOD_RUNTIME=workers; see test/workers/world.ts) — and
 *   the Workers-only checks in test/workers/
 */
/** The story files: each runs on Node (integration) and on Workers (here). */
const WORKERS_STORIES = [
  "test/app/stories/flight-cancelled.test.ts",
  "test/app/stories/shipment-late.test.ts",
  "test/app/stories/deliverable-and-delivery.test.ts",
  "test/app/stories/unknown-customer.test.ts",
  "test/app/stories/sweep.test.ts",
  "test/app/stories/template-publish.test.ts",
];

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
      {
        test: {
          name: "workers",
          include: [...WORKERS_STORIES, "test/workers/**/*.test.ts"],
          env: { MAKEGOOD_RUNTIME: "workers" },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each file starts its own workerd; two at once is what two cores take.
          maxWorkers: 2,
          // Its own group (after the others): vitest runs projects with different maxWorkers apart.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
