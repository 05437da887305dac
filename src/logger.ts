import type { Logger } from "./engine/types.ts";

const LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LEVELS)[number];

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
