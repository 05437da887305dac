import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { generateEventKey, generateSigningKey, hashedSigningKey } from "../../src/engine/index.ts";
import { freePort, kill, startProcess } from "../crash/process.ts";

test("`npm run engine -- --app <url> --port <port>` syncs another process's Inngest app over HTTP and runs it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "makegood-standalone-"));
  const keys = { INNGEST_SIGNING_KEY: generateSigningKey(), INNGEST_EVENT_KEY: generateEventKey() };
  const [appPort, enginePort] = [await freePort(), await freePort()];
  const engineUrl = `http://127.0.0.1:${enginePort}`;
  const appProcess = await startProcess(
    "test/fixtures/workload-app.ts",
    ["--port", String(appPort), "--effects", join(dir, "effects.log")],
    { ...keys, INNGEST_BASE_URL: engineUrl },
  );
  const engineProcess = await startProcess(
    "src/engine/cli.ts",
    ["--app", `http://127.0.0.1:${appPort}/api/inngest`, "--port", String(enginePort), "--db", join(dir, "engine.db")],
    keys,
    "synced",
  );
  try {
    const sent = await fetch(`${engineUrl}/e/${keys.INNGEST_EVENT_KEY}`, {
      method: "POST",
      body: JSON.stringify({ name: "workload/start", data: {} }),
    });
    expect(await sent.json()).toMatchObject({ status: 200, ids: [expect.any(String)] });

    const auth = { authorization: `Bearer ${hashedSigningKey(keys.INNGEST_SIGNING_KEY)}` };
    const deadline = Date.now() + 20_000;
    let runs: Array<{ status: string; output: unknown }> = [];
    while (Date.now() < deadline) {
      runs = ((await (await fetch(`${engineUrl}/v0/runs`, { headers: auth })).json()) as { runs: typeof runs }).runs;
      if (runs[0]?.status === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe("completed");
    expect(runs[0]?.output).toHaveLength(5);
    expect((await fetch(`${engineUrl}/v0/runs`)).status).toBe(401);
  } finally {
    await kill(engineProcess, "SIGTERM");
    await kill(appProcess, "SIGTERM");
  }
}, 60_000);
