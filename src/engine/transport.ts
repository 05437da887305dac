/**
 * How the engine reaches an app's serve endpoint: in-process (`app.fetch`, the
 * embedded default) or plain HTTP (another process, e.g. `wrangler dev`).
 */
export type Transport = (request: Request) => Promise<Response>;

export function inProcessTransport(handler: (request: Request) => Response | Promise<Response>): Transport {
  return async (request) => handler(request);
}

export function httpTransport(fetchImpl: typeof fetch = fetch): Transport {
  return (request) => fetchImpl(request);
}
