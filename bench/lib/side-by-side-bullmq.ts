/**
 * Mode (c), BullMQ on a local Redis: each job is ONE recovery step (detect → choose gesture →
 * compose → send email → send sms), and each step enqueues the next (a job chain), like a durable
 * step in makegood. Same domain code, same kind of database, same fakes; one Worker with
 * `concurrency` jobs at once. Jobs are at-least-once (3 attempts); Redis here keeps nothing on disk.
 */
import { join } from "node:path";
import { type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { PlannedMessage } from "../../src/recovery/messages.ts";
import type { Signal } from "../../src/recovery/signals.ts";
import { startRedis } from "./side-by-side-redis.ts";
import {
  accepted,
  lateEtaBatches,
  type ModeResult,
  openServices,
  recordedWork,
  recordInbound,
  recoverAll,
  recoveredCounter,
  seedCustomers,
  startFakes,
  tempDir,
  WARM_UP,
  warmPrefix,
  warmThenTime,
} from "./side-by-side-setup.ts";
import { chooseGesture, composeApology, detect, runIdFor, send } from "./side-by-side-steps.ts";

/** What each job carries; `step` says which step it is (the job's name says it to people). */
type StepData =
  | { step: "detect"; signal: Signal }
  | { step: "choose gesture" | "compose apology"; disruptionId: string; runId: string }
  | { step: "send"; disruptionId: string; runId: string; messages: PlannedMessage[] };

const QUEUE = "recovery";

export async function runBullmq(n: number, opts: { concurrency: number; batch: number; capMs: number }) {
  const redis = await startRedis();
  try {
    return await measure(n, opts, redis);
  } finally {
    await redis.stop();
  }
}

async function measure(
  n: number,
  opts: { concurrency: number; batch: number; capMs: number },
  redis: { host: string; port: number; version: string },
): Promise<ModeResult> {
  const fakes = await startFakes();
  const file = join(tempDir("bullmq"), "makegood.db");
  const svc = await openServices(file, fakes.env);
  const recovered = recoveredCounter(file);
  // BullMQ wants maxRetriesPerRequest: null on worker connections; instances avoid its lazy require('ioredis').
  const connect = () => new Redis({ host: redis.host, port: redis.port, maxRetriesPerRequest: null });
  const queueConnection = connect();
  const workerConnection = connect();
  const queue = new Queue<StepData>(QUEUE, {
    connection: queueConnection,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: "exponential", delay: 100 },
      removeOnComplete: 1000,
      removeOnFail: false,
    },
  });
  const jobName = (data: StepData) => (data.step === "send" ? `send ${data.messages[0]?.channel}` : data.step);
  const next = (data: StepData, jobId: string) => queue.add(jobName(data), data, { jobId });
  let failed = 0;
  let lastError = "";
  const worker = new Worker<StepData>(
    QUEUE,
    async (job: Job<StepData>) => {
      const data = job.data;
      switch (data.step) {
        case "detect":
          for (const disruptionId of await detect(svc, data.signal)) {
            const runId = runIdFor("bullmq", disruptionId);
            await next({ step: "choose gesture", disruptionId, runId }, `${runId}-gesture`);
          }
          return;
        case "choose gesture":
          await chooseGesture(svc, data.disruptionId);
          await next({ ...data, step: "compose apology" }, `${data.runId}-compose`);
          return;
        case "compose apology": {
          const messages = await composeApology(svc, data.disruptionId, data.runId);
          if (messages[0]) await next({ ...data, step: "send", messages }, `${data.runId}-send-${messages[0].channel}`);
          return;
        }
        case "send": {
          const [message, ...rest] = data.messages;
          if (message) await send(svc, message);
          if (rest[0]) await next({ ...data, messages: rest }, `${data.runId}-send-${rest[0].channel}`);
          return;
        }
      }
    },
    { connection: workerConnection, concurrency: opts.concurrency },
  );
  worker.on("failed", (job, error) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) failed++;
    lastError = error.message;
  });
  worker.on("error", (error) => {
    lastError = error.message;
  });
  try {
    await seedCustomers(svc, warmPrefix("bq"), WARM_UP);
    await seedCustomers(svc, "bq", n);
    await worker.waitUntilReady();
    /** Enqueue `count` delays in batches and wait until they and every earlier one apologised; the seconds. */
    const recover = (prefix: string, count: number) =>
      recoverAll({ fakes, recovered, capMs: opts.capMs, failed: () => failed > 0 }, count, async () => {
        for (const signals of lateEtaBatches(prefix, count, opts.batch)) {
          await recordInbound(svc, signals);
          await queue.addBulk(
            signals.map((signal) => ({ name: "detect", data: { step: "detect", signal }, opts: { jobId: signal.id } })),
          );
        }
      });
    const { warm, seconds, firstSeconds, done } = await warmThenTime({ fakes, recovered }, recover, "bq", n);
    const work = await recordedWork(svc);
    const failures = failed ? `; ${failed} jobs failed for good (last: ${lastError})` : "";
    return {
      mode: "BullMQ (one job per step)",
      n,
      done,
      seconds,
      finished: done === n,
      work,
      firstSeconds,
      detail: `Redis ${redis.version}, Worker concurrency ${opts.concurrency}, accepted in batches of ${opts.batch}, warmed by ${warm} recoveries${failures}; ${work}; ${accepted(fakes)}`,
    };
  } finally {
    await worker.close();
    await queue.close();
    queueConnection.disconnect();
    workerConnection.disconnect();
    recovered.close();
    await svc.prisma.$disconnect();
    await fakes.close();
  }
}
