import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { type Config, loadConfig } from "../../src/config.ts";
import type { Clock } from "../../src/engine/index.ts";
import { silentLogger } from "../../src/engine/types.ts";
import { createNodeRuntime } from "../../src/node-runtime.ts";
import { type FakeResend, startFakeResend } from "../fakes/fake-resend.ts";
import { type FakeTwilio, startFakeTwilio } from "../fakes/fake-twilio.ts";
import { providerEnv } from "../fakes/provider-env.ts";

/**
 * Browser tests: a real Chromium (Debian's package, driven by playwright-core)
 * against the real app served over HTTP on a loopback port, in-process.
 * No browser download: `npx playwright install` is never needed.
 */

export const INSTALL_HINT = "install chromium: apt-get install -y chromium";

const CHROMIUM_CANDIDATES = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

/** CHROMIUM_PATH, else Debian's chromium. Throws (the test fails, never skips) when there is none. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist — ${INSTALL_HINT}`);
  }
  const found = CHROMIUM_CANDIDATES.find((path) => existsSync(path));
  if (!found)
    throw new Error(`no chromium at ${CHROMIUM_CANDIDATES.join(" or ")} (nor CHROMIUM_PATH) — ${INSTALL_HINT}`);
  return found;
}

/**
 * Headless Chromium, offline-quiet. Playwright gives every launch a fresh
 * temporary profile (`--user-data-dir`) and deletes it on `browser.close()`.
 * Use one browser per test file and a `browser.newContext()` per test.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    chromiumSandbox: false, // adds --no-sandbox: CI runs as root
    args: [
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: 30_000,
  });
}

export interface StartServerOptions {
  /** Start fake Resend and Twilio and point the runtime at them (default: messages go to the local outbox). */
  fakeProviders?: boolean;
  /** A virtual clock for the engine and the app (default: real time). */
  clock?: Clock;
  /** Extra configuration (DEMO_DATA, ...); DATABASE_FILE, ENGINE_DATABASE_FILE, HOST and PORT are set here. */
  config?: Record<string, string>;
  /** Extra environment for the runtime (provider keys, ...). */
  env?: Record<string, string>;
}

/**
 * makegood as `npm start` runs it — migrated SQLite files in a temp dir, the
 * embedded engine, seeded defaults and demo customers — listening on
 * http://127.0.0.1:<free port>. `close()` stops everything and removes the dir.
 */
export async function startServer(opts: StartServerOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), "makegood-browser-"));
  const resend: FakeResend | undefined = opts.fakeProviders ? await startFakeResend() : undefined;
  const twilio: FakeTwilio | undefined = opts.fakeProviders ? await startFakeTwilio() : undefined;
  const providers: Record<string, string> = resend && twilio ? providerEnv(resend, twilio) : {};

  // Listen first so the runtime's configuration carries the real port.
  let handler: ((request: Request) => Response | Promise<Response>) | undefined;
  const server = serve({
    fetch: (request: Request) => handler?.(request) ?? new Response("starting", { status: 503 }),
    port: 0,
    hostname: "127.0.0.1",
  });
  await new Promise<void>((ok, fail) => {
    if (server.listening) ok();
    else server.once("listening", () => ok()).once("error", fail);
  });
  const { port } = server.address() as AddressInfo;
  const config: Config = loadConfig({
    LOG_LEVEL: "silent",
    ...opts.config,
    DATABASE_FILE: join(dir, "makegood.db"),
    ENGINE_DATABASE_FILE: join(dir, "engine.db"),
    HOST: "127.0.0.1",
    PORT: String(port),
  });
  const runtime = createNodeRuntime(config, silentLogger, { clock: opts.clock, env: { ...providers, ...opts.env } });
  await runtime.start();
  handler = runtime.app.fetch;

  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    resend,
    twilio,
    async close(): Promise<void> {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await runtime.stop();
      await resend?.close();
      await twilio?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startServer>>;

export const RESULTS_DIR = resolve(import.meta.dirname, "../../test-results");

/** A PNG at test-results/<name>.png (kept by CI as an artifact), the whole page by default; returns its path. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage ?? true });
  return path;
}
