import type { Logger } from "../engine/types.ts";
import type { ReferencePart } from "../recovery/reference-data.ts";

/**
 * What crosses between the main thread and a function thread: HTTP requests and responses as
 * plain data (structured clone copies strings, not streams), and reference-data changes.
 */
export interface WireRequest {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body: string | null;
}

export interface WireResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export type Message =
  | { t: "req"; id: number; req: WireRequest }
  | { t: "res"; id: number; res?: WireResponse; error?: string }
  | { t: "changed"; part: ReferencePart }
  | { t: "log"; level: LogLevel; message: string; fields?: Record<string, unknown> }
  | { t: "ready" };

type LogLevel = keyof Logger;

export async function toWire(request: Request): Promise<WireRequest> {
  const body = request.method === "GET" || request.method === "HEAD" ? null : await request.text();
  return { url: request.url, method: request.method, headers: [...request.headers], body };
}

/**
 * What `fetch(input, init)` would send, without building a Request when the call is a plain one
 * (a URL, a string body, headers as a record: how the SDK sends its checkpoints and events).
 */
export function fetchToWire(input: RequestInfo | URL, init?: RequestInit): Promise<WireRequest> {
  const plain =
    !(input instanceof Request) &&
    (init?.body === undefined || init.body === null || typeof init.body === "string") &&
    (init?.headers === undefined ||
      (typeof init.headers === "object" && !(init.headers instanceof Headers) && !Array.isArray(init.headers)));
  if (!plain) return toWire(new Request(input, init));
  const headers = Object.entries((init?.headers ?? {}) as Record<string, string>).map(
    ([k, v]) => [k.toLowerCase(), String(v)] as [string, string],
  );
  const body = typeof init?.body === "string" ? init.body : null;
  if (body !== null && !headers.some(([k]) => k === "content-type"))
    headers.push(["content-type", "text/plain;charset=UTF-8"]);
  return Promise.resolve({ url: String(input), method: (init?.method ?? "GET").toUpperCase(), headers, body });
}

export const fromWire = (w: WireRequest): Request =>
  new Request(w.url, { method: w.method, headers: w.headers, body: w.body });

export async function responseToWire(response: Response): Promise<WireResponse> {
  return { status: response.status, headers: [...response.headers], body: await response.text() };
}

export const responseFromWire = (w: WireResponse): Response =>
  new Response(w.status === 204 || w.status === 304 ? null : w.body, { status: w.status, headers: w.headers });

export interface Link {
  /** Send a request to the other side and wait for its response. */
  send(request: WireRequest): Promise<WireResponse>;
  /** Tell the other side that reference data changed. Messages on a port arrive in order. */
  changed(part: ReferencePart): void;
  /** A log line for the other side's logger (a function thread logs through the main thread's). */
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  /** Requests sent and not yet answered. */
  readonly pending: number;
  /** Fail every unanswered request (the other side is gone). */
  abandon(reason: string): void;
}

/** Both ends of a port speak the same small protocol: requests either way, answered by id. */
/** A MessagePort or a Worker, as a link uses it. */
export interface Port {
  post(message: Message): void;
  listen(listener: (message: Message) => void): void;
}

export const portOf = (p: {
  postMessage(message: unknown): void;
  on(event: "message", listener: (message: Message) => void): unknown;
}): Port => ({ post: (m) => p.postMessage(m), listen: (fn) => p.on("message", fn) });

export function link(
  port: Port,
  handlers: {
    request: (req: WireRequest) => Promise<WireResponse>;
    changed?: (part: ReferencePart) => void;
    log?: Logger;
    ready?: () => void;
  },
): Link {
  const waiting = new Map<number, { resolve: (r: WireResponse) => void; reject: (e: Error) => void }>();
  let next = 0;
  port.listen((m) => {
    if (m.t === "req") {
      handlers.request(m.req).then(
        (res) => port.post({ t: "res", id: m.id, res } satisfies Message),
        (error: unknown) => port.post({ t: "res", id: m.id, error: String(error) } satisfies Message),
      );
    } else if (m.t === "res") {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.res) w?.resolve(m.res);
      else w?.reject(new Error(m.error ?? "no answer"));
    } else if (m.t === "changed") handlers.changed?.(m.part);
    else if (m.t === "log") handlers.log?.[m.level](m.message, m.fields);
    else handlers.ready?.();
  });
  return {
    send(req) {
      const id = ++next;
      return new Promise<WireResponse>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        port.post({ t: "req", id, req } satisfies Message);
      });
    },
    changed: (part) => port.post({ t: "changed", part } satisfies Message),
    // Fields as JSON: what a log line shows, and always cloneable (an Error's message, not the object).
    log: (level, message, fields) =>
      port.post({ t: "log", level, message, fields: fields && JSON.parse(JSON.stringify(fields)) } satisfies Message),
    get pending() {
      return waiting.size;
    },
    abandon(reason) {
      for (const w of waiting.values()) w.reject(new Error(reason));
      waiting.clear();
    },
  };
}

export const readyMessage: Message = { t: "ready" };
