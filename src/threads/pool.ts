import { Worker } from "node:worker_threads";
import type { Transport } from "../engine/transport.ts";
import type { Logger } from "../engine/types.ts";
import type { LogLevel } from "../logger.ts";
import type { ReferenceData } from "../recovery/reference-data.ts";
import { fromWire, type Link, link, portOf, responseFromWire, responseToWire, toWire } from "./wire.ts";

/**
 * A function thread's young generation. A step allocates many short-lived objects (the SDK's
 * requests, Prisma's results, rendered messages); with more room fewer of them survive a
 * scavenge. 1,000-passenger wave, same hour: last told 8.70–8.80 s with V8's default, 8.20–8.42 s
 * with 96 MB (8.08 s with 192 MB); peak RSS 911 → 922 MB in-process.
 */
const YOUNG_GENERATION_MB = 96;

/** What a function thread needs to build its half of the app. */
export interface ThreadData {
  databaseFile: string;
  signingKey: string;
  eventKey: string;
  env: Record<string, string | undefined>;
  unknownCustomerHoldHours: number;
  logLevel: LogLevel;
}

interface Thread {
  worker: Worker;
  link: Link;
  ready: Promise<void>;
}

/**
 * The app's functions on more cores: worker threads that each serve the Inngest endpoint with
 * their own Prisma client, driven by the engine in the main thread through `transport` (each call
 * goes to the thread with the fewest in flight). The SDK's sends and checkpoints come back to
 * `engineFetch`. Durability is the engine's, as in one thread: a thread that dies takes its calls
 * with it and they run again. Reference-data changes made in the main thread reach every thread
 * before any call sent after them (a port delivers in order).
 */
export class FunctionThreads {
  private readonly threads: Thread[] = [];
  private stopping = false;

  constructor(
    private readonly count: number,
    private readonly data: ThreadData,
    private readonly engineFetch: (request: Request) => Promise<Response>,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    for (let i = 0; i < this.count; i++) this.threads.push(this.spawn(i));
    await Promise.all(this.threads.map((t) => t.ready));
  }

  /** Calls each thread has answered (inspection, tests). */
  readonly served: number[] = [];

  private turn = 0;

  readonly transport: Transport = async (request) => {
    // The thread with the fewest calls in flight; ties go round, so calls that come one at a time
    // still spread over every thread.
    const start = this.turn++ % this.threads.length;
    let index = start;
    for (let k = 1; k < this.threads.length; k++) {
      const i = (start + k) % this.threads.length;
      if ((this.threads[i] as Thread).link.pending < (this.threads[index] as Thread).link.pending) index = i;
    }
    const response = await (this.threads[index] as Thread).link.send(await toWire(request));
    this.served[index] = (this.served[index] ?? 0) + 1;
    return responseFromWire(response);
  };

  /** Wraps the main thread's reference data so each change also empties the threads' caches. */
  broadcasting(reference: ReferenceData): ReferenceData {
    return {
      ...reference,
      changed: (part) => {
        reference.changed(part);
        for (const t of this.threads) t.link.changed(part);
      },
    };
  }

  /** End one thread abruptly, as a crash would (tests, and an operator's last resort); another takes its place. */
  async crash(index: number): Promise<void> {
    await this.threads[index]?.worker.terminate();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private spawn(index: number): Thread {
    const worker = new Worker(new URL("./entry.mjs", import.meta.url), {
      workerData: this.data,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    let ready!: () => void;
    const thread: Thread = {
      worker,
      ready: new Promise<void>((resolve) => {
        ready = resolve;
      }),
      link: link(portOf(worker), {
        request: async (req) => responseToWire(await this.engineFetch(fromWire(req))),
        log: this.logger,
        ready: () => ready(),
      }),
    };
    worker.on("error", (error) => this.logger.error("function thread failed", { thread: index, error: String(error) }));
    worker.on("exit", (code) => {
      thread.link.abandon(`function thread ${index} exited (${code})`);
      if (this.stopping) return;
      this.logger.warn("function thread exited; starting another", { thread: index, code });
      this.threads[index] = this.spawn(index);
    });
    return thread;
  }
}
