import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { generateEventKey, generateSigningKey } from "../../src/engine/index.ts";
import { freePort, kill, startProcess } from "./process.ts";

const TRIALS = Number(process.env.CRASH_TRIALS ?? 12);
/** The SDK's default (checkpointing: steps run inline, each committed mid-call) and the plain one-step-per-call mode. */
const MODES = [
  { mode: "checkpointing", trials: TRIALS, flags: [] as string[] },
  { mode: "plain", trials: Math.ceil(TRIALS / 2), flags: ["--plain"] },
];
const APP = "test/fixtures/workload-app.ts";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.each(MODES)(
  "SIGKILL at random moments, $mode ($trials trials): every accepted run completes, no memoized step runs twice, nothing is lost",
  async ({ mode, trials: TRIALS, flags }) => {
    const dir = mkdtempSync(join(tmpdir(), "makegood-crash-"));
    const dbFile = join(dir, "engine.db");
    const effects = join(dir, "effects.log");
    const env = { INNGEST_SIGNING_KEY: generateSigningKey(), INNGEST_EVENT_KEY: generateEventKey() };
    const accepted = new Set<string>();
    let next = 0;

    const launch = async () => {
      const port = await freePort();
      const args = ["--embedded", "--db", dbFile, "--effects", effects, "--port", String(port), ...flags];
      return { child: await startProcess(APP, args, env), port };
    };
    /** Send batches of events until stopped; only a 200 counts as accepted. */
    const feed = (port: number, state: { stop: boolean }) =>
      (async () => {
        while (!state.stop) {
          const batch = Array.from({ length: 4 }, () => ({ id: `evt-${next++}`, name: "workload/start", data: {} }));
          try {
            const res = await fetch(`http://127.0.0.1:${port}/engine/e/${env.INNGEST_EVENT_KEY}`, {
              method: "POST",
              body: JSON.stringify(batch),
            });
            if (res.status === 200) for (const e of batch) accepted.add(e.id);
          } catch {
            return; // the process died mid-request: that batch was not acknowledged
          }
          await sleep(15);
        }
      })();

    for (let trial = 0; trial < TRIALS; trial++) {
      const { child, port } = await launch();
      const state = { stop: false };
      const feeding = feed(port, state);
      await sleep(150 + Math.floor(Math.random() * 900));
      await kill(child, "SIGKILL");
      state.stop = true;
      await feeding;
    }

    // Final start: no new events, let everything finish.
    const { child } = await launch();
    const db = new Database(dbFile, { readonly: true });
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const active = db
          .prepare("SELECT count(*) FROM engine_runs WHERE status IN ('queued','running')")
          .pluck()
          .get() as number;
        if (active === 0) break;
        if (Date.now() > deadline) throw new Error(`${active} runs still active after 60 s`);
        await sleep(200);
      }
      const runs = db.prepare("SELECT id, status, events, output FROM engine_runs").all() as Array<{
        id: string;
        status: string;
        events: string;
        output: string;
      }>;
      const runsByEvent = new Map<string, string[]>();
      for (const run of runs) {
        expect(run.status).toBe("completed");
        const eventId = (JSON.parse(run.events) as Array<{ id: string }>)[0]?.id as string;
        runsByEvent.set(eventId, [...(runsByEvent.get(eventId) ?? []), run.id]);
      }
      expect(accepted.size).toBeGreaterThan(TRIALS * 4);
      for (const id of accepted) expect(runsByEvent.get(id), `runs for accepted event ${id}`).toHaveLength(1);

      // The last execution logged for each step must be the one whose result was memoized:
      // an execution after memoization would have logged a newer nonce.
      const lastNonce = new Map<string, string>();
      for (const line of readFileSync(effects, "utf8").trim().split("\n")) {
        const [runId, stepName, nonce] = line.split(" ");
        lastNonce.set(`${runId} ${stepName}`, nonce as string);
      }
      let reexecuted = 0;
      for (const run of runs) {
        const output = JSON.parse(run.output) as string[];
        expect(output).toHaveLength(5);
        output.forEach((nonce, i) => {
          if (lastNonce.get(`${run.id} s${i}`) !== nonce) reexecuted++;
        });
      }
      expect(reexecuted, "memoized steps executed again").toBe(0);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      console.log(
        `crash test (${mode}): ${TRIALS} kills, ${accepted.size} events accepted, ${runs.length} runs completed`,
      );
    } finally {
      db.close();
      await kill(child, "SIGTERM");
    }
  },
  240_000,
);
