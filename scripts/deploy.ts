/**
 * Deploy to Cloudflare (needs `wrangler login` or CLOUDFLARE_API_TOKEN; not run in CI — no network):
 *
 *   APP_URL=https://makegood.<you>.workers.dev/api/inngest npm run deploy
 *
 * 1. `wrangler d1 migrations apply DB --remote` (the same numbered files as Node);
 * 2. `wrangler deploy`;
 * 3. `PUT $APP_URL`: the SDK registers this deployment's functions with the Inngest server
 *    (the worker records the sync in D1), then `GET /readyz` must say ready.
 * Before the first deploy: `wrangler d1 create makegood` (put its database_id in wrangler.toml) and
 * `wrangler secret put` each secret (README, Cloudflare Workers).
 *
 * `--dry-run [--persist-to <dir>]`: the same steps without Cloudflare — migrations applied to the
 * local D1 (wrangler's state, or `<dir>`), the bundle built (`wrangler deploy --dry-run`), and the
 * sync and readiness checked against APP_URL when it is set (e.g. a `wrangler dev`). CI runs it so
 * (test/workers/deploy.test.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { "dry-run": { type: "boolean", default: false }, "persist-to": { type: "string" } },
});
const dryRun = values["dry-run"];

function run(args: string[]): void {
  console.log(`$ npx ${args.join(" ")}`);
  const result = spawnSync("npx", args, { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed (${result.status})`);
}

const appUrl = process.env.APP_URL;
if (!appUrl && !dryRun) throw new Error("set APP_URL to the deployed serve endpoint, https://…/api/inngest");
const persistTo = values["persist-to"] ? ["--persist-to", values["persist-to"]] : [];
run(["wrangler", "d1", "migrations", "apply", "DB", ...(dryRun ? ["--local", ...persistTo] : ["--remote"])]);
run([
  "wrangler",
  "deploy",
  ...(dryRun ? ["--dry-run", "--outdir", mkdtempSync(join(tmpdir(), "makegood-deploy-"))] : []),
]);
if (appUrl) {
  const sync = await fetch(appUrl, { method: "PUT" });
  console.log(`PUT ${appUrl}: ${sync.status} ${await sync.text()}`);
  const ready = await fetch(new URL("/readyz", appUrl));
  console.log(`GET /readyz: ${ready.status} ${await ready.text()}`);
  if (!sync.ok || !ready.ok) process.exit(1);
} else console.log("APP_URL not set: no sync to check (dry run)");
