import { AppError } from "./errors.ts";

/** The largest body the API reads: 1 MiB. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const describeBytes = (n: number) => (n % 1024 === 0 && n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`);

/** A header value safe to quote back in a JSON error message: printable, short. */
const quote = (value: string) => JSON.stringify(value.replace(/[^\x20-\x7E]/g, "?").slice(0, 100));

/** `application/json`, optionally with `charset=utf-8`; anything else is a 415. */
export function requireJsonContentType(contentType: string | undefined): void {
  if (!contentType) {
    throw new AppError("unsupported_media_type", "send the body as JSON with `Content-Type: application/json`");
  }
  const [mediaType, ...params] = contentType.split(";").map((part) => part.trim().toLowerCase());
  const charset = params
    .find((p) => p.startsWith("charset="))
    ?.slice("charset=".length)
    .replace(/"/g, "");
  if (mediaType !== "application/json" || (charset !== undefined && charset !== "utf-8" && charset !== "utf8")) {
    throw new AppError(
      "unsupported_media_type",
      `the body must be JSON (\`Content-Type: application/json\`, UTF-8); got ${quote(contentType)}`,
    );
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `the body is larger than the ${describeBytes(maxBytes)} limit`);
}

/** Reads at most `maxBytes` of the body: the declared Content-Length is checked first, then the bytes actually sent. */
async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    if (!/^\d+$/.test(declared.trim())) throw new AppError("bad_request", "the Content-Length header is not a number");
    if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The request's JSON body, or a clear 4xx: 415 for another content type, 413
 * over `maxBytes`, 400 for an empty body, bad UTF-8 or malformed JSON. The
 * input is never echoed back (only the position of a syntax error).
 */
export async function readJsonBody(request: Request, opts: { maxBytes?: number } = {}): Promise<unknown> {
  requireJsonContentType(request.headers.get("content-type") ?? undefined);
  const bytes = await readBytes(request, opts.maxBytes ?? MAX_JSON_BODY_BYTES);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("bad_request", "the body is not valid UTF-8");
  }
  if (text.trim() === "") throw new AppError("bad_request", "the body is empty; send a JSON object");
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
    throw new AppError("bad_request", `the body is not valid JSON${position ? ` (near character ${position})` : ""}`);
  }
}
