/**
 * A throwaway Redis for the BullMQ mode: loopback only, no persistence, its own port; installed
 * with apt-get when missing. Whoever starts it stops it (also on error, exit or Ctrl-C).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { tempDir } from "./side-by-side-setup.ts";

/** `redis-server` on the PATH, installing the Debian package (as root) when it is missing. */
export function ensureRedisServer(): void {
  if (!spawnSync("redis-server", ["--version"]).error) return;
  console.log("redis-server is missing: apt-get install -y redis-server …");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "redis-server"], { env, stdio: "ignore" }).status;
  if (install() !== 0) {
    spawnSync("apt-get", ["update"], { env, stdio: "ignore" });
    if (install() !== 0) throw new Error("could not install redis-server with apt-get");
  }
  if (spawnSync("redis-server", ["--version"]).error) throw new Error("redis-server still not found after install");
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

export interface LocalRedis {
  host: string;
  port: number;
  version: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<LocalRedis> {
  const port = await freePort();
  const version = /v=(\S+)/.exec(spawnSync("redis-server", ["--version"]).stdout.toString())?.[1] ?? "?";
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tempDir("redis")],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const onSigint = () => {
    kill();
    process.exit(130);
  };
  process.once("exit", kill);
  process.once("SIGINT", onSigint);
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
    const listen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", listen);
    child.stderr?.on("data", listen);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    });
  });
  const stop = async () => {
    process.off("exit", kill);
    process.off("SIGINT", onSigint);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(kill, 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: "127.0.0.1", port, version, stop };
}
