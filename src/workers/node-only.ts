/**
 * Settings that mean something only to the Node process, and why. Every other setting of
 * `ConfigSchema` (src/config.ts) is read on Workers too, from vars and secrets (a test checks the list).
 */
export const NODE_ONLY_SETTINGS: Record<string, string> = {
  PORT: "Workers do not listen: Cloudflare (or wrangler dev --port) routes requests",
  HOST: "as PORT",
  DATABASE_FILE: "the database is the D1 binding DB (wrangler.toml)",
  ENGINE_DATABASE_FILE: "no embedded engine on Workers",
  ENGINE: "always inngest on Workers: Inngest Cloud, a self-hosted server or the standalone engine",
  APP_THREADS: "no embedded engine; Workers scale by isolates",
  ENGINE_CONCURRENCY: "no embedded engine: the Inngest server decides concurrency",
  ENGINE_HEADROOM: "no embedded engine sharing a thread with the API: each request has its own isolate",
  DEMO_DATA:
    "demo customers and the demo admin are seeded by npm start only; on D1 create accounts with npm run users -- … --d1",
};
