import type { MakegoodInngest } from "../src/inngest/client.ts";

/**
 * Every durable workflow makegood serves. Functions are thin: they sequence
 * steps and call capability code in src/, which gets its services injected.
 */
export function createFunctions(_inngest: MakegoodInngest) {
  return [];
}
