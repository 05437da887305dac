import { afterAll, beforeAll, expect, test } from "vitest";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "../../../src/auth/sessions.ts";
import { addUser, Browser, PASSWORD, startDashboard } from "./harness.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
beforeAll(async () => {
  h = await startDashboard();
});
afterAll(() => h.stop());

const MINUTE = 60_000;

async function signedIn() {
  const user = await addUser(h.runtime, "viewer");
  const browser = new Browser(h.runtime);
  expect((await browser.login(user.email, PASSWORD)).status).toBe(303);
  return browser;
}

test("a session idle for longer than the idle timeout is over, and its cookie is cleared", async () => {
  const browser = await signedIn();
  h.clock.advance(SESSION_IDLE_MS - MINUTE);
  expect((await browser.request("GET", "/dashboard")).status).toBe(200);
  h.clock.advance(SESSION_IDLE_MS + 1);
  const expired = await browser.request("GET", "/dashboard");
  expect(expired.status).toBe(302);
  expect(expired.headers.get("location")).toMatch(/^\/dashboard\/login\?next=/);
  expect(browser.cookies.has("mg_session")).toBe(false);
});

test("activity keeps a session alive, but never past the absolute timeout", async () => {
  const browser = await signedIn();
  let elapsed = 0;
  while (elapsed + 20 * MINUTE < SESSION_ABSOLUTE_MS) {
    h.clock.advance(20 * MINUTE);
    elapsed += 20 * MINUTE;
    expect((await browser.request("GET", "/dashboard")).status, `after ${elapsed / MINUTE} min`).toBe(200);
  }
  h.clock.advance(SESSION_ABSOLUTE_MS - elapsed);
  expect((await browser.request("GET", "/dashboard")).status).toBe(302);
});

test("an expired session row is deleted, not just ignored", async () => {
  const browser = await signedIn();
  const before = await h.runtime.prisma.session.count();
  h.clock.advance(SESSION_IDLE_MS + 1);
  await browser.request("GET", "/dashboard");
  expect(await h.runtime.prisma.session.count()).toBe(before - 1);
});
