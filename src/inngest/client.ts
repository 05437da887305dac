import { Inngest } from "inngest";
import type { Logger } from "../engine/types.ts";

/** The SDK logs with console-style arguments; fold them into one structured line. */
function sdkLogger(logger: Logger) {
  const line = (args: unknown[]) => ({
    message: args
      .map((a) => (typeof a === "string" ? a : a instanceof Error ? a.message : JSON.stringify(a)))
      .join(" "),
  });
  return {
    info: (...args: unknown[]) => logger.info("inngest sdk", line(args)),
    warn: (...args: unknown[]) => logger.warn("inngest sdk", line(args)),
    error: (...args: unknown[]) => logger.error("inngest sdk", line(args)),
    debug: () => {},
  };
}

export interface InngestSettings {
  signingKey: string;
  signingKeyFallback?: string;
  eventKey: string;
  /** The engine's origin: a self-hosted server or the embedded engine; unset means Inngest Cloud. */
  baseUrl?: string;
  /** In-process route to the embedded engine. */
  fetch?: typeof fetch;
  /** Where the SDK's own messages go (step errors, signature failures): makegood's logger. */
  logger?: Logger;
}

/**
 * The one Inngest client. Always cloud mode: every call to the serve endpoint
 * must carry a valid signature, whichever engine drives it.
 */
export function createInngest(settings: InngestSettings) {
  return new Inngest({
    id: "makegood",
    isDev: false,
    signingKey: settings.signingKey,
    signingKeyFallback: settings.signingKeyFallback,
    eventKey: settings.eventKey,
    baseUrl: settings.baseUrl,
    fetch: settings.fetch,
    ...(settings.logger ? { logger: sdkLogger(settings.logger), internalLogger: sdkLogger(settings.logger) } : {}),
  });
}

export type MakegoodInngest = ReturnType<typeof createInngest>;
