/**
 * Mode (b), the floor: the same domain calls in sequence per recovery, a plain in-process loop
 * with `concurrency` recoveries at once (the sends await I/O) and no durability at all. What this
 * code costs on this machine; nothing survives a crash.
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  accepted,
  lateEta,
  type ModeResult,
  openServices,
  recordedWork,
  recordInbound,
  recoveredCounter,
  seedCustomers,
  startFakes,
  tempDir,
  WARM_UP,
  warmPrefix,
  warmThenTime,
} from "./side-by-side-setup.ts";
import { chooseGesture, composeApology, detect, runIdFor, send } from "./side-by-side-steps.ts";

export async function runFloor(
  n: number,
  opts: { concurrency: number; capMs: number; prefix?: string; warmUp?: number },
): Promise<ModeResult> {
  const prefix = opts.prefix ?? "fl";
  const fakes = await startFakes();
  const file = join(tempDir("floor"), "makegood.db");
  const svc = await openServices(file, fakes.env);
  const recovered = recoveredCounter(file);
  try {
    const warmUp = opts.warmUp ?? WARM_UP;
    await seedCustomers(svc, warmPrefix(prefix), warmUp);
    await seedCustomers(svc, prefix, n);
    /** `count` recoveries through `concurrency` lanes; the seconds they took. */
    const recover = async (ids: string, count: number) => {
      const t0 = performance.now();
      let next = 0;
      const lane = async () => {
        while (next < count && performance.now() - t0 < opts.capMs) {
          const signal = lateEta(ids, next++);
          await recordInbound(svc, [signal]);
          for (const disruptionId of await detect(svc, signal)) {
            await chooseGesture(svc, disruptionId);
            for (const message of await composeApology(svc, disruptionId, runIdFor("floor", disruptionId)))
              await send(svc, message);
          }
        }
      };
      await Promise.all(Array.from({ length: opts.concurrency }, lane));
      return (performance.now() - t0) / 1000;
    };
    const { warm, seconds, firstSeconds, done } = await warmThenTime({ fakes, recovered }, recover, prefix, n, warmUp);
    const work = await recordedWork(svc);
    return {
      mode: "floor (plain loop, no durability)",
      n,
      done,
      seconds,
      finished: done === n,
      work,
      firstSeconds,
      detail: `${opts.concurrency} recoveries at once; warmed by ${warm} recoveries; ${work}; ${accepted(fakes)}`,
    };
  } finally {
    recovered.close();
    await svc.prisma.$disconnect();
    await fakes.close();
  }
}
