/**
 * What the three side-by-side modes share: one fresh SQLite database per mode (migrated, seeded
 * like the server, customers written directly), the recording Resend and Twilio fakes the real SDK
 * and Twilio client talk to, the shipment-delay signals, and "apologised" as the database recorded it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openMigratedPrisma, openSqlite } from "../../src/db/sqlite.ts";
import { silentLogger } from "../../src/engine/types.ts";
import { fingerprint } from "../../src/events/ingest.ts";
import { emailSenderFrom, loadMessagingConfig, smsSenderFrom } from "../../src/messaging/index.ts";
import { prismaOutboxStore } from "../../src/messaging/outbox-prisma.ts";
import { seedDefaults } from "../../src/recovery/defaults.ts";
import { isWithinWindow } from "../../src/recovery/quiet-hours.ts";
import { cachedReferenceData } from "../../src/recovery/reference-data.ts";
import { DEFAULT_SETTINGS, type RecoveryServices } from "../../src/recovery/services.ts";
import type { Signal } from "../../src/recovery/signals.ts";
import { type FakeResend, startFakeResend } from "../../test/fakes/fake-resend.ts";
import { type FakeTwilio, startFakeTwilio } from "../../test/fakes/fake-twilio.ts";
import { providerEnv } from "../../test/fakes/provider-env.ts";
import { lateEta as threeDaysLate } from "./late-eta.ts";

const HOUR = 3_600_000;

export interface Fakes {
  resend: FakeResend;
  twilio: FakeTwilio;
  /** The environment that points the real senders at the fakes (as the server reads it). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startFakes(): Promise<Fakes> {
  const resend = await startFakeResend();
  const twilio = await startFakeTwilio();
  return {
    resend,
    twilio,
    env: providerEnv(resend, twilio),
    async close() {
      await resend.close();
      await twilio.close();
    },
  };
}

export const tempDir = (mode: string) => mkdtempSync(join(tmpdir(), `makegood-sbs-${mode}-`));

/** The recovery services exactly as src/node-runtime.ts builds them, over a migrated, seeded database. */
export async function openServices(databaseFile: string, env: Record<string, string>): Promise<RecoveryServices> {
  const { prisma } = openMigratedPrisma(databaseFile);
  const reference = cachedReferenceData(prisma);
  await seedDefaults(prisma, reference, new Date());
  const messaging = loadMessagingConfig(env);
  const outbox = prismaOutboxStore(prisma);
  return {
    prisma,
    reference,
    email: emailSenderFrom(messaging, outbox),
    sms: smsSenderFrom(messaging, outbox),
    now: () => new Date(),
    settings: { ...DEFAULT_SETTINGS, emailFrom: messaging.emailFrom },
    logger: silentLogger,
  };
}

/**
 * A time zone where SMS may go out now and for the next hour (08:00–21:00 local), so no apology
 * waits for daytime: the bench measures work, not quiet hours.
 */
export function daytimeZone(now = new Date()): string {
  const zones = ["Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "Asia/Tokyo"];
  const zone = zones.find((z) => isWithinWindow(now, z) && isWithinWindow(new Date(now.getTime() + HOUR), z));
  if (!zone) throw new Error("no daytime zone found for SMS; add one to the list");
  return zone;
}

/**
 * N standard-tier customers reachable by email and SMS (both channels, consented), written
 * directly. Standard tier keeps the gesture within policy (no approval). The month's budget is
 * raised so every recovery gets its gesture, however large N is.
 */
export async function seedCustomers(
  svc: Pick<RecoveryServices, "prisma" | "reference">,
  prefix: string,
  n: number,
): Promise<void> {
  const timeZone = daytimeZone();
  for (let i = 0; i < n; i += 500) {
    await svc.prisma.customer.createMany({
      data: Array.from({ length: Math.min(500, n - i) }, (_, j) => ({
        id: `${prefix}-${i + j}`,
        name: `Bench Customer ${i + j}`,
        email: emailOf(prefix, i + j),
        phone: phoneOf(i + j),
        locale: "en-GB",
        timeZone,
        tier: "standard",
        preferredChannel: "both",
        consentEmail: true,
        consentSms: true,
      })),
    });
  }
  await svc.prisma.budget.updateMany({ data: { limit: 1_000_000_000 } });
  // Reference data is cached (in makegood's function threads too): say it changed, as every writer must.
  svc.reference.changed("budgets");
}

const emailOf = (prefix: string, i: number) => `${prefix}-${i}@example.com`;
/** UK mobile numbers, distinct per customer. */
const phoneOf = (i: number) => `+447${String(i).padStart(9, "0")}`;

/** A three-days-late ETA for customer i: a medium shipment delay, gesture within policy, no approval. */
export function lateEta(prefix: string, i: number): Extract<Signal, { type: "shipment.eta_updated" }> {
  return threeDaysLate({
    id: `sbs-${prefix}-${i}-eta`,
    orderId: `${prefix.toUpperCase()}-${i}`,
    customerId: `${prefix}-${i}`,
  });
}

/**
 * Record signals as accepted (the InboundEvent rows POST /api/events writes, on which
 * handleSignal stores its outcome): the floor and BullMQ do this part of acceptance too.
 */
export async function recordInbound(svc: RecoveryServices, signals: Signal[]): Promise<void> {
  const receivedAt = new Date();
  const rows = await Promise.all(
    signals.map(async (s) => {
      const { body, hash } = await fingerprint(s);
      return { id: s.id, type: s.type, bodyHash: hash, body, occurredAt: new Date(s.occurredAt), receivedAt };
    }),
  );
  await svc.prisma.inboundEvent.createMany({ data: rows });
}

/**
 * Recoveries whose apology is recorded as sent on both channels (the providers accepted it and
 * sendMessage committed it), read through a second connection to the mode's database file.
 */
export function recoveredCounter(databaseFile: string) {
  const db = openSqlite(databaseFile);
  const query = db.prepare(
    `SELECT count(*) AS n FROM (SELECT "disruptionId" FROM "Message" WHERE "purpose" = 'apology' AND "status" = 'sent'
       GROUP BY "disruptionId" HAVING count(*) = 2)`,
  );
  return { count: () => (query.get() as { n: number }).n, close: () => db.close() };
}

/** What the providers saw, as a cross-check of the database. */
export const accepted = (fakes: Fakes) =>
  `providers accepted ${fakes.resend.deliveries.length} emails, ${fakes.twilio.deliveries.length} SMS`;

/** One mode's figures: how many of N recoveries apologised on both channels, in how long. */
export interface ModeResult {
  mode: string;
  n: number;
  done: number;
  seconds: number;
  /** False when the time cap stopped the mode before every recovery apologised. */
  finished: boolean;
  /** What the mode left on the record (`recordedWork`): the same in every mode, or the figures compare different work. */
  work: string;
  /** Seconds from the first signal to the first apology a fake accepted (the start-up before the steady rate). */
  firstSeconds: number | undefined;
  detail: string;
}

export const perSecond = (r: ModeResult) => r.done / r.seconds;

/** The delays for customers 0 … count-1 of `prefix`, `size` at a time (a request or an enqueue each). */
export function* lateEtaBatches(prefix: string, count: number, size: number) {
  for (let i = 0; i < count; i += size)
    yield Array.from({ length: Math.min(size, count - i) }, (_, j) => lateEta(prefix, i + j));
}

/**
 * Hand `count` signals to a mode with `feed`, then wait until they and every earlier one apologised
 * (or `feed` failed, `failed()` says the mode gave up, or the cap passed); the seconds it took.
 * The database is read (a GROUP BY over every message, ~1–2 ms once a few thousand are stored, on
 * the thread that may be the one measured) only once the fakes accepted every message.
 */
export async function recoverAll(
  mode: { fakes: Fakes; recovered: { count(): number }; capMs: number; failed?: () => boolean },
  count: number,
  feed: () => Promise<void>,
): Promise<number> {
  const total = mode.recovered.count() + count;
  const t0 = performance.now();
  let feedError: unknown;
  const feeding = feed().catch((error: unknown) => {
    feedError = error;
  });
  const over = () => Boolean(feedError) || (mode.failed?.() ?? false);
  const capped = () => performance.now() - t0 >= mode.capMs;
  const accepted = () => mode.fakes.resend.deliveries.length + mode.fakes.twilio.deliveries.length >= 2 * total;
  while (!over() && !accepted() && !capped()) await new Promise((r) => setTimeout(r, 5));
  while (!over() && mode.recovered.count() < total && !capped()) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - t0) / 1000;
  await feeding;
  if (feedError) throw feedError;
  return seconds;
}

/**
 * A mode's measurement: `warmUp` untimed recoveries, then `n` timed ones with the time to the
 * first apology among them; `done` counts only the timed ones.
 */
export async function warmThenTime(
  mode: { fakes: Fakes; recovered: { count(): number } },
  recover: (prefix: string, count: number) => Promise<number>,
  prefix: string,
  n: number,
  warmUp = WARM_UP,
) {
  await recover(warmPrefix(prefix), warmUp);
  const warm = mode.recovered.count();
  const first = firstAcceptance(mode.fakes, performance.now());
  const seconds = await recover(prefix, n);
  const firstSeconds = first.stop();
  return { warm, seconds, firstSeconds, done: mode.recovered.count() - warm };
}

/**
 * When the fakes accept their first message from now on, polled every 5 ms: `stop()` gives the
 * seconds since `t0`, or undefined if none came.
 */
export function firstAcceptance(fakes: Fakes, t0: number) {
  const count = () => fakes.resend.deliveries.length + fakes.twilio.deliveries.length;
  const before = count();
  let first: number | undefined;
  const timer = setInterval(() => {
    if (first === undefined && count() > before) first = (performance.now() - t0) / 1000;
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return first;
    },
  };
}

/**
 * Recoveries each mode runs, untimed, in its own fresh process before it is measured, so every mode
 * is measured warm (V8 was still optimising code after 200: makegood's three isolates each compile
 * their own, and in the timed run that cost 5-7% of its rate).
 */
export const WARM_UP = Number(process.env.BENCH_SBS_WARM ?? 1000);
export const warmPrefix = (prefix: string) => `${prefix}w`;

/** What the mode left on the record, to show every mode did the same work. */
export async function recordedWork(svc: Pick<RecoveryServices, "prisma">): Promise<string> {
  const [disruptions, grants, sent, timeline] = await Promise.all([
    svc.prisma.disruption.count(),
    svc.prisma.gestureGrant.count({ where: { status: "granted" } }),
    svc.prisma.message.count({ where: { status: "sent" } }),
    svc.prisma.timelineEntry.count(),
  ]);
  return `recorded ${disruptions} disruptions, ${grants} gestures granted, ${sent} messages sent, ${timeline} timeline entries`;
}
