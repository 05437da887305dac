import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Where a running server listens, kept beside its database file, so `npm run demo` and the
 * other CLIs in a second terminal find it without being given the same PORT again.
 */
const fileFor = (databaseFile: string) => join(dirname(databaseFile), "server.json");

export function recordServerAddress(databaseFile: string, url: string): () => void {
  const file = fileFor(databaseFile);
  writeFileSync(file, `${JSON.stringify({ url, pid: process.pid })}\n`);
  return () => rmSync(file, { force: true });
}

/** The recorded address, if its process is still alive. */
export function runningServerAddress(databaseFile: string): string | undefined {
  try {
    const { url, pid } = JSON.parse(readFileSync(fileFor(databaseFile), "utf8")) as { url: string; pid: number };
    process.kill(pid, 0); // throws when no such process
    return url;
  } catch {
    return undefined;
  }
}
