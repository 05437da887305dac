/**
 * The Workers build: bundle size (what `wrangler deploy` uploads, raw and gzip) and cold start
 * under `wrangler dev --local` (workerd): the first request of a fresh isolate on an empty,
 * migrated local D1 (it seeds the defaults) and on a seeded one, then warm requests.
 * Prints figures, asserts nothing.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { applyLocalMigrations, startWranglerDev, WRANGLER_ENV } from "../test/workers/wrangler-dev.ts";

const out = mkdtempSync(join(tmpdir(), "makegood-worker-bundle-"));
const build = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], {
  env: WRANGLER_ENV,
  encoding: "utf8",
});
if (build.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${build.stdout}\n${build.stderr}`);
let raw = 0;
let gzip = 0;
for (const file of readdirSync(out)) {
  const path = join(out, file);
  if (!statSync(path).isFile() || file.endsWith(".map")) continue;
  const bytes = readFileSync(path);
  raw += bytes.length;
  gzip += gzipSync(bytes).length;
}
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
console.log(`worker bundle: ${mb(raw)} raw, ${mb(gzip)} gzip (Workers' limits: 3 MiB free, 10 MiB paid, gzip)`);

const vars = { INNGEST_SIGNING_KEY: "signkey-test-00", INNGEST_EVENT_KEY: "bench", LOG_LEVEL: "warn" };
const time = async (url: string) => {
  const t = performance.now();
  const response = await fetch(url);
  await response.text();
  return performance.now() - t;
};
for (const label of ["empty D1 (first request seeds)", "seeded D1"]) {
  const state = join(out, "state");
  if (label.startsWith("empty")) applyLocalMigrations(state);
  const worker = await startWranglerDev(state, vars); // waits for /healthz: workerd is up, the isolate may be warm
  await worker.stop();
  const fresh = await startWranglerDev(state, vars);
  // startWranglerDev polled /healthz (no database work); the first /readyz is the first D1 request.
  const first = await time(`${fresh.url}/readyz`);
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) warm.push(await time(`${fresh.url}/readyz`));
  warm.sort((a, b) => a - b);
  console.log(
    `cold start, ${label}: first /readyz ${first.toFixed(0)} ms; warm p50 ${warm[10]?.toFixed(1)} ms (wrangler dev, local workerd)`,
  );
  await fresh.stop();
}
