import type { Logger } from "./engine/types.ts";
import type { Link } from "./threads/wire.ts";

const LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LEVELS)[number];

const enabled = (lvl: LogLevel, min: LogLevel) => LEVELS.indexOf(lvl) >= LEVELS.indexOf(min);

/** A function thread's logger: the lines at or above `level`, handed to the main thread's logger. */
export function threadLogger(level: LogLevel, to: Pick<Link, "log">): Logger {
  const write = (lvl: keyof Logger) => (message: string, fields?: Record<string, unknown>) => {
    if (enabled(lvl, level)) to.log(lvl, message, fields);
  };
  return { info: write("info"), warn: write("warn"), error: write("error") };
}

/** JSON lines on stdout/stderr: one event per line, easy to grep and to ship. */
export function createLogger(level: LogLevel = "info"): Logger {
  const min = LEVELS.indexOf(level);
  const write = (lvl: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS.indexOf(lvl) < min) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level: lvl, msg: message, ...fields });
    if (lvl === "error" || lvl === "warn") console.error(line);
    else console.log(line);
  };
  return {
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}
