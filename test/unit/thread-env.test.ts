import { describe, expect, it } from "vitest";
import { threadEnvironment } from "../../src/threads/thread-env.ts";

describe("a function thread's environment", () => {
  it("keeps the SDK's variables and the runtime's switches, and nothing else", () => {
    const env = {
      INNGEST_SIGNING_KEY: "signkey-test-1",
      INNGEST_DEV: "0",
      NODE_ENV: "production",
      NODE_OPTIONS: "--enable-source-maps",
      PRISMA_LOG: "1",
      DEBUG: "prisma:*",
      RESEND_API_KEY: "re_secret",
      TWILIO_AUTH_TOKEN: "secret",
      DATABASE_FILE: "/data/makegood.db",
      npm_config_cache: "/root/.npm",
      PATH: "/usr/bin",
      HOME: "/root",
      DEBUGGER: "x",
    };
    expect(Object.keys(threadEnvironment(env)).sort()).toEqual([
      "DEBUG",
      "INNGEST_DEV",
      "INNGEST_SIGNING_KEY",
      "NODE_ENV",
      "NODE_OPTIONS",
      "PRISMA_LOG",
    ]);
    expect(threadEnvironment(env).INNGEST_SIGNING_KEY).toBe("signkey-test-1");
  });
});
