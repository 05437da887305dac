import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, test } from "vitest";
import { SYNC_SETTING } from "../../src/workers/sync-record.ts";
import { startWorkersWorld } from "./world.ts";
import { WRANGLER_ENV } from "./wrangler-dev.ts";

/**
 * `npm run deploy -- --dry-run` against a `wrangler dev`: every step of the deploy but the upload
 * (migrations on the local D1, the bundle built, the sync and /readyz checked). The remote steps
 * need a Cloudflare account and network, which CI has not.
 */
let w: Awaited<ReturnType<typeof startWorkersWorld>>;
beforeAll(async () => {
  w = await startWorkersWorld("2026-01-05T15:00:00Z");
});
afterAll(() => w?.stop());

/** Run asynchronously: the engine the worker syncs with answers from this process. */
const deploy = (env: Record<string, string | undefined>) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn("npx", ["tsx", "scripts/deploy.ts", "--dry-run", "--persist-to", w.state], {
      env: { ...WRANGLER_ENV, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += String(d);
    });
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });

const syncRecord = async () => (await w.prisma.setting.findUnique({ where: { key: SYNC_SETTING } }))?.value;

test("a dry-run deploy migrates, builds, syncs the app with its engine and finds it ready", async () => {
  const before = await syncRecord();
  const { status, stdout, stderr } = await deploy({ APP_URL: `${w.url}/api/inngest` });
  expect(status, `${stdout}\n${stderr}`).toBe(0);
  expect(stdout).toContain("wrangler d1 migrations apply DB --local");
  expect(stdout).toContain("wrangler deploy --dry-run");
  expect(stdout).toMatch(/PUT .*\/api\/inngest: 200/);
  expect(stdout).toMatch(/GET \/readyz: 200 .*"ok":true/);
  // The deploy's own PUT is the sync /readyz reported: the worker recorded it again in D1.
  const after = await syncRecord();
  expect(after).toBeDefined();
  expect(after).not.toBe(before);
});

test("a deploy whose app does not answer fails", async () => {
  const { status, stdout } = await deploy({ APP_URL: "http://127.0.0.1:9/api/inngest" });
  expect(status).not.toBe(0);
  expect(stdout).toContain("wrangler deploy --dry-run");
});
