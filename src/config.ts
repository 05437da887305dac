import { z } from "zod";

/**
 * Every setting makegood reads, validated once at the edge. Runtime entries
 * pass their environment in (Node: process.env; Workers: the env binding).
 */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_FILE: z.string().default("./data/makegood.db"),
  ENGINE_DATABASE_FILE: z.string().default("./data/engine.db"),
  /** Public URL of this app's Inngest serve endpoint; defaults to http://HOST:PORT/api/inngest. */
  APP_URL: z.url().optional(),
  /** `embedded` (default): makegood's own engine in-process. `inngest`: Inngest Cloud or a self-hosted Inngest server. */
  ENGINE: z.enum(["embedded", "inngest"]).default("embedded"),
  /**
   * Embedded engine: worker threads that run the functions (each with its own Prisma client), so
   * recoveries use more than one core; 0 runs them in the main thread. `auto` (the default): one
   * per core (up to 8), none on a single core.
   */
  APP_THREADS: z.union([z.literal("auto"), z.coerce.number().int().min(0).max(64)]).default("auto"),
  /** Embedded engine: calls to the app in flight at once (a call runs a recovery's steps up to its next wait). */
  ENGINE_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  /**
   * Embedded engine: `on` (the default) lowers ENGINE_CONCURRENCY for as long as the thread the
   * engine shares with the API is nearly full, so the API and dashboard keep answering under any
   * backlog (src/engine/headroom.ts); `off` keeps the full concurrency whatever the API waits.
   */
  ENGINE_HEADROOM: z.enum(["on", "off"]).default("on"),
  /** With ENGINE=inngest: a self-hosted server's origin; unset means Inngest Cloud. Read by the SDK as well. */
  INNGEST_BASE_URL: z.url().optional(),
  INNGEST_SIGNING_KEY: z
    .string()
    .regex(/^signkey-\w+-[0-9a-f]+$/i, "must look like signkey-<env>-<hex>")
    .optional(),
  INNGEST_SIGNING_KEY_FALLBACK: z.string().optional(),
  INNGEST_EVENT_KEY: z.string().min(1).optional(),
  /** Seed the demo customers of the three stories into an empty database. */
  DEMO_DATA: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** How long a booking, order or deliverable of an unknown customer waits for the customer's record. */
  UNKNOWN_CUSTOMER_HOLD_HOURS: z.coerce.number().positive().max(720).default(24),
  /** Message contents and event payloads older than this many days are purged every night; unset: kept. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const config = result.data;
  if (config.ENGINE === "inngest" && !(config.INNGEST_SIGNING_KEY && config.INNGEST_EVENT_KEY)) {
    throw new ConfigError("ENGINE=inngest needs INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY");
  }
  if (config.RETENTION_DAYS !== undefined && config.RETENTION_DAYS * 24 <= config.UNKNOWN_CUSTOMER_HOLD_HOURS) {
    throw new ConfigError(
      "RETENTION_DAYS must be longer than UNKNOWN_CUSTOMER_HOLD_HOURS: a held event needs its payload",
    );
  }
  return config;
}
