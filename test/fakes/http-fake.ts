import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON or form body (form: a plain object of the fields); raw text when neither parses. */
  body: unknown;
  /** `Idempotency-Key` (Resend) or `I-Twilio-Idempotency-Token` (Twilio), when sent. */
  idempotencyKey?: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON-encoded unless a string. */
  body?: unknown;
  /** Do the work, then cut the connection without answering (the "accepted, answer lost" case). */
  drop?: boolean;
}

export type Handler = (req: RecordedRequest) => Reply;

export interface RunningFake {
  url: string;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (random port) that records requests and answers with `handle`. */
export async function startHttpFake(requests: RecordedRequest[], handle: Handler): Promise<RunningFake> {
  // Keep idle connections longer than clients' keep-alive (undici: 4 s), as real providers do:
  // a server closing first races the client's next request on that socket ("other side closed").
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    void serve(req, res, requests, handle);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, requests: RecordedRequest[], handle: Handler) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const key = headers["idempotency-key"] ?? headers["i-twilio-idempotency-token"];
  const recorded: RecordedRequest = {
    method: req.method ?? "GET",
    path: req.url ?? "/",
    headers,
    body: parseBody(raw, headers["content-type"] ?? ""),
    ...(key ? { idempotencyKey: key } : {}),
  };
  requests.push(recorded);

  let reply: Reply;
  try {
    reply = handle(recorded);
  } catch (err) {
    reply = { status: 500, body: { message: `fake crashed: ${String(err)}` } };
  }
  if (reply.drop) {
    res.socket?.destroy();
    return;
  }
  const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status, {
    "content-type": typeof reply.body === "string" ? "text/html" : "application/json",
    ...reply.headers,
  });
  res.end(text);
}

function parseBody(raw: string, contentType: string): unknown {
  if (raw === "") return undefined;
  if (contentType.includes("application/x-www-form-urlencoded")) {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
