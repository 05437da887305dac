import { Inngest } from "inngest";

export interface InngestSettings {
  signingKey: string;
  signingKeyFallback?: string;
  eventKey: string;
  /** The engine's origin: a self-hosted server or the embedded engine; unset means Inngest Cloud. */
  baseUrl?: string;
  /** In-process route to the embedded engine. */
  fetch?: typeof fetch;
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
  });
}

export type MakegoodInngest = ReturnType<typeof createInngest>;
