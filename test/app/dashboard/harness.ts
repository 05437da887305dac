import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Role } from "../../../src/auth/roles.ts";
import { createSession } from "../../../src/auth/sessions.ts";
import { createUser } from "../../../src/auth/users.ts";
import { loadConfig } from "../../../src/config.ts";
import { VirtualClock } from "../../../src/engine/index.ts";
import { silentLogger } from "../../../src/engine/types.ts";
import { createNodeRuntime, type NodeRuntime } from "../../../src/node-runtime.ts";

export const PASSWORD = "correct horse battery staple";
export const ORIGIN = "http://localhost";

/** The whole Node runtime on a virtual clock (sessions and rate limits follow it), no demo data. */
export async function startDashboard(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "makegood-dashboard-"));
  const config = loadConfig({
    DATABASE_FILE: join(dir, "makegood.db"),
    ENGINE_DATABASE_FILE: join(dir, "engine.db"),
    DEMO_DATA: "false",
    ...env,
  });
  const clock = new VirtualClock();
  const runtime = createNodeRuntime(config, silentLogger, { clock });
  const started = await runtime.start();
  const now = () => new Date(clock.now());
  return { runtime, clock, now, started, stop: () => runtime.stop() };
}

let counter = 0;
/** A user with PASSWORD and a unique email. */
export async function addUser(runtime: Pick<NodeRuntime, "prisma">, role: Role, name = `Test ${role}`) {
  const email = `${role}-${++counter}-${Date.now().toString(36)}@example.com`;
  const user = await createUser(runtime.prisma, { email, name, role, password: PASSWORD }, "test");
  return { id: user.id, email, role };
}

/** A signed-in session made directly (no password hashing): its cookie and CSRF token. */
export async function mintSession(runtime: NodeRuntime, userId: string, now: Date) {
  const session = await createSession(runtime.prisma, userId, now);
  return { cookie: `mg_session=${session.token}`, csrf: session.csrfToken };
}

/**
 * Where a Browser sends its requests: the Node app in-process (`app.request`), or the worker under
 * `wrangler dev` over HTTP (the Workers world's `runtime`, with its own origin).
 */
export interface BrowserTarget {
  app: { request(path: string, init: RequestInit): Response | Promise<Response> };
  origin?: string;
}

/** A cookie-keeping client over app.request; unsafe methods send our Origin unless told otherwise. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly runtime: BrowserTarget) {}

  async request(
    method: string,
    path: string,
    opts: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: "text/html", ...opts.headers };
    if (method !== "GET" && method !== "HEAD") headers.origin ??= this.runtime.origin ?? ORIGIN;
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (opts.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
    const response = await this.runtime.app.request(path, { method, headers, body });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Opens the sign-in form, then posts it with the form's CSRF token. */
  async login(email: string, password: string, next?: string): Promise<Response> {
    const form = await this.request("GET", `/dashboard/login${next ? `?next=${encodeURIComponent(next)}` : ""}`);
    const html = await form.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const nextField = /name="next" value="([^"]*)"/.exec(html)?.[1] ?? "";
    return this.request("POST", "/dashboard/login", {
      form: { _csrf: csrf, next: nextField.replace(/&amp;/g, "&"), email, password },
    });
  }

  /** The CSRF token of the signed-in session, read from a page's sign-out form. */
  async csrfToken(): Promise<string> {
    const html = await (await this.request("GET", "/dashboard")).text();
    return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  }
}
